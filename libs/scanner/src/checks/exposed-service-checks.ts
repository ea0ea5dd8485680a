import { draftFinding, type FindingDraft } from '../finding-draft';
import { type CheckRule } from './check-rule';

/** Services that hand full control to whoever connects: Redis without auth, the Docker Engine API. */
export const exposedServiceChecks: CheckRule = ({ redis, dockerApi, port, address }, { hostname }) => {
  const findings: FindingDraft[] = [];
  if (redis?.pingAnswered) {
    findings.push(
      draftFinding('redis.unauthenticated', {
        hostname,
        port,
        description: `Redis on ${hostname}:${port} answered PING without authentication. Anyone who reaches the port can read and overwrite all data and, through CONFIG, often write files on the host.`,
        evidence: { address, reply: redis.reply, ...(redis.info ? { info: redis.info } : {}) },
      }),
    );
  }
  if (dockerApi?.exposed) {
    const version = dockerApi.version
      ? ` (Docker ${dockerApi.version}, API ${dockerApi.apiVersion ?? '?'})`
      : '';
    findings.push(
      draftFinding('docker.api-exposed', {
        hostname,
        port,
        description: `The Docker Engine API answers GET /version over plain HTTP on ${hostname}:${port}${version}. Anyone who reaches it can start privileged containers, which is root on the host.`,
        evidence: {
          address,
          ...(dockerApi.version ? { version: dockerApi.version } : {}),
          ...(dockerApi.apiVersion ? { apiVersion: dockerApi.apiVersion } : {}),
        },
      }),
    );
  }
  return findings;
};
