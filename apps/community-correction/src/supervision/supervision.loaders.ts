import { LoaderContext, fieldLoader } from '@homeward/platform';
import { CurrentSupervision, LevelsOf, SupervisionService } from './supervision.service';

/**
 * The request's batch of `SupervisionService.currentOf`: the caseload's `supervision` and `compliance`
 * fields both need each row's level in force, and ask it in one statement (issue 13 S5).
 */
export function currentSupervisionOf(ctx: LoaderContext, service: SupervisionService): LevelsOf {
  return async (ids) => {
    const loader = fieldLoader<CurrentSupervision | null>(ctx, 'supervision.current', (keys) => service.currentOf(keys), null);
    const levels = await loader.loadMany(ids);
    const out = new Map<string, CurrentSupervision>();
    levels.forEach((level, i) => {
      if (level instanceof Error) throw level;
      if (level) out.set(ids[i], level);
    });
    return out;
  };
}
