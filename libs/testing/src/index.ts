export { testServices, TEST_SERVICE_VARIABLES, type TestServices } from './test-services';
export { createTestDatabase, type TestDatabase } from './test-database';
export { TcpProxy } from './tcp-proxy';
export { freePort } from './free-port';
export {
  ServiceProcess,
  waitForHttp,
  WORKSPACE_ROOT,
  type ServiceExit,
  type XorbApp,
} from './service-process';
export { ProxiedDependencies, type Dependency } from './proxied-dependencies';
export {
  describeServiceContract,
  startWithBadConfig,
  type RunningService,
  type ServiceContractOptions,
} from './service-contract';
export { DnsTestServer } from './dns-test-server';
export { seedFinding, seedTargetAndScan } from './scan-fixtures';
