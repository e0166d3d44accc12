import { ClientDuplexStream, credentials, GrpcObject, loadPackageDefinition, Metadata, ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { GrpcReflection } from 'grpc-js-reflection-client';

/**
 * What a client with no proto files does: asks the server's reflection service, as grpcurl
 * and `grpc-js-reflection-client` do, for services, method signatures and descriptors.
 */
export function reflectionClient(address: string): GrpcReflection {
  return new GrpcReflection(address, credentials.createInsecure());
}

export async function listServicesByReflection(address: string): Promise<string[]> {
  return reflectionClient(address).listServices();
}

/** Calls a unary rpc through a client built only from the descriptors the server reflected. */
export async function callByReflection(address: string, service: string, method: string, request: object, key: string): Promise<unknown> {
  const descriptor = await reflectionClient(address).getDescriptorBySymbol(service);
  const pkg = descriptor.getPackageObject({ keepCase: false, longs: Number, enums: String });
  const Client = service.split('.').reduce<unknown>((at, part) => (at as GrpcObject)[part], pkg) as ServiceClientConstructor;
  const client = new Client(address, credentials.createInsecure());
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${key}`);
  try {
    return await new Promise((resolve, reject) => {
      const rpc = client[method] as (req: object, md: Metadata, cb: (err: Error | null, res: unknown) => void) => void;
      rpc.call(client, request, metadata, (err, res) => (err ? reject(err) : resolve(res)));
    });
  } finally {
    client.close();
  }
}

interface ReflectedFile {
  name: string;
  package?: string;
  dependency?: string[];
  messageType?: ReflectedMessage[];
  enumType?: { name: string }[];
  service?: { method?: { inputType: string; outputType: string }[] }[];
}
interface ReflectedMessage {
  name: string;
  field?: { typeName?: string }[];
  nestedType?: ReflectedMessage[];
  enumType?: { name: string }[];
}

/**
 * Links the descriptors a server reflects for `symbol` as strict clients (grpcurl, protoc's
 * linker) do: a type may be referenced only if the file itself or a file it imports declares
 * it, and every import must be served by name. Returns the references that do not resolve.
 */
export async function unresolvedReferences(address: string, symbol: string): Promise<string[]> {
  const { FileDescriptorProto } = await import('protobufjs/ext/descriptor');
  const ask = async (request: object) => {
    const answer = await reflectionRequest(address, request);
    return (answer.fileDescriptorResponse?.fileDescriptorProto ?? []).map(
      (bin: Uint8Array) => FileDescriptorProto.toObject(FileDescriptorProto.decode(bin)) as ReflectedFile,
    );
  };
  const files = new Map<string, ReflectedFile>();
  const queue = await ask({ fileContainingSymbol: symbol });
  const wanted = new Set<string>();
  for (let file = queue.shift(); file; file = queue.shift()) {
    files.set(file.name, file);
    for (const dep of file.dependency ?? []) if (!files.has(dep) && !wanted.has(dep)) {
      wanted.add(dep);
      queue.push(...(await ask({ fileByFilename: dep })).filter((f: ReflectedFile) => f.name === dep));
    }
  }
  const missing: string[] = [];
  for (const file of files.values()) {
    const visible = new Set([file, ...(file.dependency ?? []).map((d) => files.get(d))].flatMap((f) => (f ? declared(f) : [])));
    for (const r of references(file)) if (!resolves(r, visible)) missing.push(`${file.name}: ${r.ref}`);
  }
  for (const dep of wanted) if (!files.has(dep)) missing.push(`import not served: ${dep}`);
  return missing;
}

function declared(file: ReflectedFile): string[] {
  const names: string[] = [];
  const visit = (prefix: string, m: ReflectedMessage) => {
    names.push(`${prefix}.${m.name}`);
    (m.enumType ?? []).forEach((e) => names.push(`${prefix}.${m.name}.${e.name}`));
    (m.nestedType ?? []).forEach((n) => visit(`${prefix}.${m.name}`, n));
  };
  const pkg = file.package ? `.${file.package}` : '';
  (file.messageType ?? []).forEach((m) => visit(pkg, m));
  (file.enumType ?? []).forEach((e) => names.push(`${pkg}.${e.name}`));
  return names;
}

/** Each type reference with the scope protoc resolves it from (relative names look outwards). */
function references(file: ReflectedFile): { ref: string; scope: string }[] {
  const refs: { ref: string; scope: string }[] = [];
  const pkg = file.package ? `.${file.package}` : '';
  const visit = (scope: string, m: ReflectedMessage) => {
    (m.field ?? []).forEach((f) => f.typeName && refs.push({ ref: f.typeName, scope: `${scope}.${m.name}` }));
    (m.nestedType ?? []).forEach((n) => visit(`${scope}.${m.name}`, n));
  };
  (file.messageType ?? []).forEach((m) => visit(pkg, m));
  (file.service ?? []).forEach((s) => (s.method ?? []).forEach((m) => refs.push({ ref: m.inputType, scope: pkg }, { ref: m.outputType, scope: pkg })));
  return refs;
}

function resolves({ ref, scope }: { ref: string; scope: string }, visible: Set<string>): boolean {
  if (ref.startsWith('.')) return visible.has(ref);
  for (let at = scope; ; at = at.slice(0, Math.max(0, at.lastIndexOf('.')))) {
    if (visible.has(`${at}.${ref}`)) return true;
    if (!at) return false;
  }
}

interface ReflectionAnswer {
  fileDescriptorResponse?: { fileDescriptorProto?: Uint8Array[] };
}

function reflectionRequest(address: string, request: object): Promise<ReflectionAnswer> {
  const definition = loadSync(require.resolve('@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto'), { keepCase: false });
  const pkg = loadPackageDefinition(definition) as unknown as {
    grpc: { reflection: { v1: { ServerReflection: ServiceClientConstructor } } };
  };
  const client = new pkg.grpc.reflection.v1.ServerReflection(address, credentials.createInsecure());
  return new Promise((resolve, reject) => {
    const call = (client as unknown as { ServerReflectionInfo(): ClientDuplexStream<object, ReflectionAnswer> }).ServerReflectionInfo();
    call.on('data', (answer: ReflectionAnswer) => {
      resolve(answer);
      call.end();
      client.close();
    });
    call.on('error', reject);
    call.write(request);
  });
}
