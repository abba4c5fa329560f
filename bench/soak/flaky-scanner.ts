// The soak test's scanner: a volume spike against the day's average so far (signals at realistic rates),
// with --signals all so whole days are replayed. It throws on a random SOAK_FAIL_RATE share of ticker-days
// (decided at the day's first step, with Math.random: a different set on every run), so successful days
// must come out exactly as in a clean run whatever failed around them.
import { defineScanner } from 'barwise/scanner';

const rate = Number(process.env.SOAK_FAIL_RATE ?? '0');
let failing = '';

export default defineScanner({
  name: 'soak-flaky',
  warmupBars: 6,
  scan(ctx) {
    const key = `${ctx.ticker} ${ctx.date}`;
    if (ctx.index === 6 && Math.random() < rate) failing = key;
    if (failing === key) throw new Error('soak: random failure');
    let sum = 0;
    for (const b of ctx.bars) sum += b.volume;
    const avg = sum / ctx.bars.length;
    return ctx.bar.volume > 2.5 * avg ? { direction: 'LONG', pattern_strength: ctx.bar.volume / avg } : null;
  },
});
