/** ServerFeatures and Gossip: what a client asks a node before and besides reading and writing. */
import * as grpc from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { GossipService } from '@eventstore/db-client/generated/gossip_grpc_pb';
import { ClusterInfo, EndPoint, MemberInfo } from '@eventstore/db-client/generated/gossip_pb';
import { Empty, UUID } from '@eventstore/db-client/generated/shared_pb';

const STREAMS = 'event_store.client.streams.Streams';

type Registration = [grpc.ServiceDefinition, grpc.UntypedServiceImplementation];

export function clusterServices(host: string, port: () => number, batchAppend: boolean): Registration[] {
  return [
    [ServerFeaturesService, { getSupportedMethods: unary(() => supportedMethods(batchAppend)) }],
    [GossipService, { read: unary(() => clusterInfo(host, port())) }],
  ];
}

function unary<T>(answer: () => T) {
  return (_call: grpc.ServerUnaryCall<Empty, T>, callback: grpc.sendUnaryData<T>): void => callback(null, answer());
}

/** The client appends through BatchAppend only when the server lists it. */
function supportedMethods(batchAppend: boolean): SupportedMethods {
  const names = batchAppend ? ['Read', 'Append', 'BatchAppend'] : ['Read', 'Append'];
  const methods = names.map((name) => {
    const method = new SupportedMethod();
    method.setServiceName(STREAMS);
    method.setMethodName(name);
    return method;
  });
  const supported = new SupportedMethods();
  supported.setEventStoreServerVersion('23.10.0-esdb-test-server');
  supported.setMethodsList(methods);
  return supported;
}

function clusterInfo(host: string, port: number): ClusterInfo {
  const endpoint = new EndPoint();
  endpoint.setAddress(host);
  endpoint.setPort(port);
  const instanceId = new UUID();
  instanceId.setString('00000000-0000-4000-8000-00000000e5db');
  const leader = new MemberInfo();
  leader.setInstanceId(instanceId);
  leader.setTimeStamp(String(BigInt(Date.now()) * 10_000n));
  leader.setState(MemberInfo.VNodeState.LEADER);
  leader.setIsAlive(true);
  leader.setHttpEndPoint(endpoint);
  const info = new ClusterInfo();
  info.setMembersList([leader]);
  return info;
}
