import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { checkJson } from '@ledger/domain/validation';

export type Dto<T> = new () => T;

/**
 * A request as an entry other than HTTP's pipe validates it: the domain's text checks first
 * (SPEC 12; they throw their own `validation_failed`), then the HTTP DTO's rules (whitelist, no
 * unknown fields), whose faults `refuse` turns into the entry's own error.
 */
export function validatedDto<T extends object>(dto: Dto<T>, plain: object, refuse: (fault: string) => Error): T {
  checkJson(plain, '');
  const value = plainToInstance(dto, plain);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw refuse(errors.flatMap((e) => Object.values(e.constraints ?? { [e.property]: `${e.property} is invalid` })).join('; '));
  return value;
}
