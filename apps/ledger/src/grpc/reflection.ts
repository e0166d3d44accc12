import { Server } from '@grpc/grpc-js';
import { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';

/** Server reflection (v1 and v1alpha), so grpcurl and other tools can list and call the services. */
export function addReflectionService(server: Server, definition: PackageDefinition): boolean {
  new ReflectionService(definition).addToServer(server);
  return true;
}
