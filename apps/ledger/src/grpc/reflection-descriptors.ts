import type { MessageTypeDefinition as TypeDefinition, PackageDefinition } from '@grpc/proto-loader';

type MessageTypeDefinition = TypeDefinition<object, object>;
import {
  FileDescriptorProto,
  type IDescriptorProto,
  type IFieldDescriptorProto,
  type IFileDescriptorProto,
} from 'protobufjs/ext/descriptor';

/**
 * proto-loader hands out one file descriptor per package, named after the package
 * (`numbers_ledger_v1.proto`), with no `dependency` entries. A reflection client then
 * cannot resolve `google.protobuf.Struct` (grpc-node#3034). This qualifies every type
 * reference, fills in each file's imports from the types it references, and renames files to the paths the sources
 * use where the caller knows them (`fileNames`: package -> path), so well-known types
 * keep their well-known file names.
 */
export function linkedDefinition(definition: PackageDefinition, fileNames: Record<string, string>): PackageDefinition {
  const decoded = decodeFiles(definition);
  const declared = declaredTypes(decoded.values());
  const files = new Map([...decoded].map(([name, file]) => [name, qualified(file, declared)]));
  const byPackage = new Map([...files.values()].map((f) => [f.package ?? '', f]));
  const encoded = new Map<string, Uint8Array>();
  for (const [name, file] of files) {
    const linked: IFileDescriptorProto = {
      ...file,
      name: fileNames[file.package ?? ''] ?? file.name,
      dependency: importsOf(file, byPackage).map((dep) => fileNames[dep.package ?? ''] ?? dep.name ?? ''),
    };
    encoded.set(name, FileDescriptorProto.encode(FileDescriptorProto.fromObject(linked)).finish());
  }
  const linked: PackageDefinition = {};
  for (const [symbol, entry] of Object.entries(definition)) {
    const protos = (entry as Partial<MessageTypeDefinition>).fileDescriptorProtos;
    linked[symbol] = Array.isArray(protos)
      ? { ...(entry as MessageTypeDefinition), fileDescriptorProtos: protos.map((bin) => Buffer.from(encoded.get(decode(bin).name ?? '') ?? bin)) }
      : entry;
  }
  return linked;
}

function decode(bin: Uint8Array): IFileDescriptorProto {
  return FileDescriptorProto.toObject(FileDescriptorProto.decode(bin), { defaults: false });
}

function decodeFiles(definition: PackageDefinition): Map<string, IFileDescriptorProto> {
  const files = new Map<string, IFileDescriptorProto>();
  for (const entry of Object.values(definition)) {
    const protos = (entry as Partial<MessageTypeDefinition>).fileDescriptorProtos;
    for (const bin of Array.isArray(protos) ? protos : []) {
      const file = decode(bin);
      if (file.name && !files.has(file.name)) files.set(file.name, file);
    }
  }
  return files;
}

/** The files declaring the packages of the (fully qualified) types this file references. */
function importsOf(file: IFileDescriptorProto, byPackage: Map<string, IFileDescriptorProto>): IFileDescriptorProto[] {
  const packages = [...byPackage.keys()].sort((a, b) => b.length - a.length);
  const imports = new Set<IFileDescriptorProto>();
  for (const ref of typeReferences(file)) {
    const pkg = packages.find((p) => ref.startsWith(`.${p}.`));
    const dep = pkg === undefined ? undefined : byPackage.get(pkg);
    if (dep && dep !== file) imports.add(dep);
  }
  return [...imports];
}

/** Every declared message and enum, fully qualified (`.pkg.Outer.Inner`). */
function declaredTypes(files: Iterable<IFileDescriptorProto>): Set<string> {
  const names = new Set<string>();
  const visit = (scope: string, message: IDescriptorProto) => {
    const name = `${scope}.${message.name}`;
    names.add(name);
    (message.enumType ?? []).forEach((e) => names.add(`${name}.${e.name}`));
    (message.nestedType ?? []).forEach((n) => visit(name, n));
  };
  for (const file of files) {
    const scope = file.package ? `.${file.package}` : '';
    (file.messageType ?? []).forEach((m) => visit(scope, m));
    (file.enumType ?? []).forEach((e) => names.add(`${scope}.${e.name}`));
  }
  return names;
}

/** A type name as protoc resolves it: relative names are looked up from the innermost scope out. */
function qualify(ref: string, scope: string, declared: Set<string>): string {
  if (!ref || ref.startsWith('.')) return ref;
  for (let at = scope; ; at = at.slice(0, Math.max(0, at.lastIndexOf('.')))) {
    if (declared.has(`${at}.${ref}`)) return `${at}.${ref}`;
    if (!at) return ref;
  }
}

/** The file with every type reference fully qualified, as strict linkers (grpcurl) expect. */
function qualified(file: IFileDescriptorProto, declared: Set<string>): IFileDescriptorProto {
  const pkg = file.package ? `.${file.package}` : '';
  const message = (scope: string, m: IDescriptorProto): IDescriptorProto => {
    const inner = `${scope}.${m.name}`;
    const field = (f: IFieldDescriptorProto): IFieldDescriptorProto => ({
      ...f,
      ...(f.typeName ? { typeName: qualify(f.typeName, inner, declared) } : {}),
      ...(f.extendee ? { extendee: qualify(f.extendee, inner, declared) } : {}),
    });
    return { ...m, field: m.field?.map(field), extension: m.extension?.map(field), nestedType: m.nestedType?.map((n) => message(inner, n)) };
  };
  return {
    ...file,
    messageType: file.messageType?.map((m) => message(pkg, m)),
    service: file.service?.map((svc) => ({
      ...svc,
      method: svc.method?.map((m) => ({ ...m, inputType: qualify(m.inputType ?? '', pkg, declared), outputType: qualify(m.outputType ?? '', pkg, declared) })),
    })),
  };
}

function typeReferences(file: IFileDescriptorProto): string[] {
  const refs: string[] = [];
  const visit = (message: IDescriptorProto) => {
    for (const field of [...(message.field ?? []), ...(message.extension ?? [])]) {
      if (field.typeName) refs.push(field.typeName);
      if (field.extendee) refs.push(field.extendee);
    }
    (message.nestedType ?? []).forEach(visit);
  };
  (file.messageType ?? []).forEach(visit);
  for (const service of file.service ?? []) {
    for (const method of service.method ?? []) refs.push(method.inputType ?? '', method.outputType ?? '');
  }
  return refs;
}
