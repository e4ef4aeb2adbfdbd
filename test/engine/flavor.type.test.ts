import type { AttuneContext } from '../../src/engine/context';
import type { Stage } from '../../src/engine/turn-runner';
import type { SegmentsFlavor } from '../../middleware/segment';

/**
 * Flavors are checked by the compiler (typecheck runs on tests): what a stage declares it adds
 * is known to its code, and what it does not declare is an error.
 */
type LoyaltyFlavor = { loyalty: 'gold' | 'member' };

const loyalty: Stage<LoyaltyFlavor> = async (ctx, next) => {
  ctx.personalization.loyalty = 'gold';
  // @ts-expect-error: not a tier
  ctx.personalization.loyalty = 'platinum';
  // @ts-expect-error: a flavor the stage did not declare
  ctx.personalization.streak = 3;
  await next();
};

function readsSegments(ctx: AttuneContext<SegmentsFlavor & LoyaltyFlavor>): string {
  const tier: 'gold' | 'member' | undefined = ctx.personalization.loyalty;
  return `${ctx.personalization.segments.join(',')}:${tier ?? 'none'}`;
}

describe('stage flavors', () => {
  it('compile as declared', () => {
    expect(typeof loyalty).toBe('function');
    expect(typeof readsSegments).toBe('function');
  });
});
