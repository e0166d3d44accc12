import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ConfigModule } from '../config/config.module';
import { BillingController } from './billing.http';
import { BillingQueryHandler } from './billing-query';
import { GetQuantitiesHandler, QuantitiesCsvHandler } from './quantities/quantities';
import { GetNumberDaysHandler } from './number-days/number-days';

/** Billing quantities from the billing intervals' read model (SPEC 6). */
@Module({
  imports: [AccountsModule, ConfigModule],
  controllers: [BillingController],
  providers: [BillingQueryHandler, GetQuantitiesHandler, QuantitiesCsvHandler, GetNumberDaysHandler],
})
export class BillingModule {}
