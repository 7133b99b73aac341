// Runs the pod stages: for each pod, arm one timer per matching stage; when a timer fires, re-read the
// pod and apply the stage only if it still matches (same uid). Stages that stop matching are disarmed.
// May import: ../types.js, ./context.js, ./pod-stages.js, ./pod-facts.js.
import type { SimContext } from './context.js';
import { POD_STAGES } from './pod-stages.js';
import type { PodStage } from './pod-stages.js';

interface Armed {
  readonly uid: string;
  readonly cancel: () => void;
}

export function installStageEngine(ctx: SimContext, stages: readonly PodStage[] = POD_STAGES): void {
  const armed = new Map<string, Map<string, Armed>>();

  const reconcile = (key: string): void => {
    const pod = ctx.pods.get(key);
    let mine = armed.get(key);
    for (const stage of stages) {
      const current = mine?.get(stage.name);
      const matches = pod !== undefined && stage.match(pod, ctx);
      if (current && (!matches || current.uid !== pod?.metadata.uid)) {
        current.cancel();
        mine?.delete(stage.name);
      } else if (current) continue;
      if (!matches || !pod) continue;
      const uid = pod.metadata.uid ?? '';
      const cancel = ctx.after(stage.delay(pod, ctx), () => {
        armed.get(key)?.delete(stage.name);
        const now = ctx.pods.get(key);
        if (now && now.metadata.uid === uid && stage.match(now, ctx)) stage.apply(now, ctx);
        ctx.enqueue(`pod:${key}`);
      });
      if (!mine) {
        mine = new Map();
        armed.set(key, mine);
      }
      mine.set(stage.name, { uid, cancel });
    }
    if (mine && mine.size === 0) armed.delete(key);
  };
  ctx.on('pod', reconcile);
}
