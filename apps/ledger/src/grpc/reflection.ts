import { Server } from '@grpc/grpc-js';
import { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { linkedDefinition } from './reflection-descriptors';

/**
 * Server reflection (v1 and v1alpha), so grpcurl and other tools can list, describe and
 * call the services with no proto files. The descriptors are linked first (see
 * reflection-descriptors.ts): @grpc/reflection 1.0.4 serves files without their imports.
 */
export function addReflectionService(server: Server, definition: PackageDefinition, fileNames: Record<string, string> = {}): boolean {
  new ReflectionService(linkedDefinition(definition, fileNames)).addToServer(server);
  return true;
}
