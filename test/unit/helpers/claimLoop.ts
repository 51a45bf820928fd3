// A member that only claims, as fast as it can, for the claim-lock regression test: started as its own
// process so the test can freeze it (SIGSTOP) at any moment, as a real member can be.
//   node -r test/register.js test/unit/helpers/claimLoop.ts <database url> <cluster>
import { ClusterClaims } from '../../../src/core/cluster/claims';
import { Db } from '../../../src/core/cluster/db';
import { Fence } from '../../../src/core/cluster/fence';

const [url, cluster] = process.argv.slice(2);
const db = new Db({ url, cluster, applicationName: 'claim loop', log: () => undefined });
const claims = new ClusterClaims({
  db, cluster, member: `loop-${process.pid}`, fence: new Fence(() => undefined), rank: () => 0, concurrency: () => 1_000_000, active: () => true,
  cancelElsewhere: () => undefined, memberLimit: () => 100, pollMs: 1000, log: () => undefined,
});

(async () => {
  for (let n = 0; ; n++) {
    const d = await claims.claim({
      run: { id: `loop-${n}`, taskId: 'loop', trigger: 'schedule', status: 'queued', attempt: 1, queuedAt: n, scheduledFor: n, occurrence: `slot:${n}` },
      priority: 'normal', overlap: 'allow', exclusive: false,
    });
    if (n === 0) console.log(`claiming: ${JSON.stringify(d)}`);
  }
})();
