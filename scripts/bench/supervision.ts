import { openServices } from '../../services/open';
import { officeStats } from '../../services/supervision/stats';
import { benchClock, DECADE_ENTRIES, FILES } from './data';
import { check, MAX_RSS_MB, median, timeRuns, type Figure } from './measure';

/**
 * The supervisor's desk: the 统计 page over the register of ten years of a busy counter. Its
 * entries run from 2020 into 2023 (a minute apart), so a year of them is about half a million
 * entries and 130,000 certificates.
 */
const YEAR = { from: '2022-01-01', to: '2022-12-31' };
const MONTH = { from: '2022-06-01', to: '2022-06-30' };

const decadeStats: Figure = {
  id: 'decade-stats',
  title: `统计 for a year (${YEAR.from} – ${YEAR.to}) on the ${DECADE_ENTRIES.toLocaleString('en')}-entry register: per day and week, unit, seal and document kind, clerk, refusals, replacements, batches waiting`,
  baselineTitle: 'the one aggregate every chart needs at least: certificates per day of that year, read bare through the same index',
  runs: 5,
  rounds: 1,
  warmup: 1,
  target: { maxMs: 2000, maxRssMb: MAX_RSS_MB },
  needs: ['decadeDb'],
  async measure(side, runs, warmup) {
    const services = openServices(FILES.decadeDb, benchClock);
    try {
      const { db } = services.ctx;
      const perDay = db.prepare('SELECT substr(sealed_at, 1, 10) AS d, count(*) FROM certificates WHERE sealed_at >= ? AND sealed_at < ? GROUP BY d').raw();
      let certificates = 0;
      const samplesMs = await timeRuns(runs, warmup, () => null, () => {
        if (side === 'baseline') {
          certificates = (perDay.all(YEAR.from, `${YEAR.to}\uffff`) as [string, number][]).reduce((sum, [, n]) => sum + n, 0);
          return;
        }
        certificates = officeStats(services.ctx, YEAR).totals.certificates;
      });
      check(certificates > 100_000, `a year held only ${certificates} certificates`);
      const monthMs = side === 'figure' ? await timeRuns(3, 1, () => null, () => officeStats(services.ctx, MONTH)) : [];
      return { samplesMs, detail: { certificatesInYear: certificates, ...(monthMs.length > 0 ? { monthMs: Math.round(median(monthMs)) } : {}) } };
    } finally {
      services.close();
    }
  },
};

export const SUPERVISION_FIGURES = { decadeStats } satisfies Record<string, Figure>;
