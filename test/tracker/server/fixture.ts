import type { DistributionJson, JsonValue, ParamValue } from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";
import type { Storage, TrialTemplate } from "../../../tracker/storage/storage.js";

/** Strings that would run script if any page put them into HTML unescaped. */
export const XSS = {
  /** The study name the safety requirement quotes. */
  alertName: "<img src=x onerror=alert(1)>",
  /** Sets a flag the browser tests check stays undefined. */
  flagName: `<img src=x onerror="window.__xss=1">`,
  param: `<svg onload="window.__xss=2">`,
  attr: `<script>window.__xss=3</script>`,
  error: `<img src=x onerror="window.__xss=4">`,
  experiment: `<b onmouseover="window.__xss=5">exp</b>`,
} as const;

export const DISTRIBUTIONS = {
  x: { name: "FloatDistribution", attributes: { low: -5, high: 5, log: false, step: null } },
  lr: { name: "FloatDistribution", attributes: { low: 1e-4, high: 1, log: true, step: null } },
  depth: { name: "IntDistribution", attributes: { low: 1, high: 10, log: false, step: 1 } },
  kind: { name: "CategoricalDistribution", attributes: { choices: ["linear", "rbf", "poly"] } },
} satisfies Record<string, DistributionJson>;

export interface Fixture {
  /** A minimised study with every state, log/int/categorical params, intermediate values and fold scores. */
  main: number;
  /** A second study of the same experiment, maximised-fold-score twin for comparisons. */
  twin: number;
  /** A study whose name, parameter, attributes and error message are HTML/script payloads. */
  xss: number;
  /** The study named exactly `XSS.alertName`. */
  alert: number;
  /** A study with no trials. */
  empty: number;
}

/** The objective of the main study: depends strongly on x, a little on lr, not on depth. */
export function objective(x: number, lr: number, depth: number, kind: string): number {
  return (x - 1) ** 2 + 0.3 * Math.abs(Math.log10(lr) + 2) + (kind === "rbf" ? 0 : 0.5) + depth * 0;
}

function sampleParams(rng: Rng): { x: number; lr: number; depth: number; kind: string } {
  return {
    x: rng.uniform(-5, 5),
    lr: Math.exp(rng.uniform(Math.log(1e-4), Math.log(1))),
    depth: rng.integer(1, 10),
    kind: ["linear", "rbf", "poly"][rng.integer(0, 2)],
  };
}

/**
 * Fills `storage` with small studies covering what the pages show. `nMain` trials in
 * the main study (the last two RUNNING and WAITING, some PRUNED and one FAIL).
 */
export async function buildFixture(storage: Storage, nMain = 40, seed = 7): Promise<Fixture> {
  const rng = new Rng(seed);
  const start = Date.UTC(2024, 0, 1, 12);
  const main = await storage.createStudy({ name: "svm-quadratic", direction: "minimize", experiment: "iris" });
  await storage.setStudySystemAttr(main, "tunebook:sampler", "TPESampler");
  const twin = await storage.createStudy({ name: "knn-quadratic", direction: "minimize", experiment: "iris" });
  await storage.setStudySystemAttr(twin, "tunebook:sampler", "RandomSampler");
  for (const [studyId, shift, n] of [
    [main, 0, nMain],
    [twin, 0.4, 25],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const p = sampleParams(rng);
      const value = objective(p.x, p.lr, p.depth, p.kind) + shift;
      const steps: Record<number, number> = {};
      for (let s = 0; s < 5; s++) steps[s] = value + 4 / (s + 1);
      const at = new Date(start + i * 60_000);
      const template: TrialTemplate = {
        state: "COMPLETE",
        params: p as Record<string, ParamValue>,
        distributions: DISTRIBUTIONS,
        value,
        intermediateValues: steps,
        userAttrs: { fold_scores: Array.from({ length: 5 }, () => value + rng.normal() * 0.1) },
        datetimeStart: at,
        datetimeComplete: new Date(at.getTime() + 20_000 + rng.integer(0, 20_000)),
      };
      if (i % 7 === 3)
        Object.assign(template, { state: "PRUNED", value: null, intermediateValues: { 0: steps[0], 1: steps[1] }, userAttrs: {} });
      if (i === 5)
        Object.assign(template, {
          state: "FAIL",
          value: null,
          intermediateValues: {},
          userAttrs: {},
          error: "ValueError: the model did not converge",
        });
      if (studyId === main && i === n - 2)
        Object.assign(template, {
          state: "RUNNING",
          value: null,
          datetimeComplete: null,
          intermediateValues: { 0: steps[0] },
          userAttrs: {},
        });
      if (studyId === main && i === n - 1)
        Object.assign(template, {
          state: "WAITING",
          value: null,
          datetimeStart: null,
          datetimeComplete: null,
          intermediateValues: {},
          userAttrs: {},
        });
      await storage.createTrial(studyId, template);
    }
  }

  const xss = await storage.createStudy({ name: XSS.flagName, direction: "maximize", experiment: XSS.experiment });
  await storage.setStudySystemAttr(xss, "tunebook:sampler", XSS.attr);
  await storage.setStudyUserAttr(xss, XSS.attr, XSS.attr);
  const xssDist: Record<string, DistributionJson> = {
    [XSS.param]: { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: null } },
    c: { name: "CategoricalDistribution", attributes: { choices: [XSS.attr, "plain"] } },
  };
  for (let i = 0; i < 12; i++) {
    const u = rng.random();
    const choice = i % 2 === 0 ? XSS.attr : "plain";
    const attrs: Record<string, JsonValue> = { [XSS.attr]: XSS.error, fold_scores: [u, u + 0.1, u - 0.1] };
    await storage.createTrial(xss, {
      state: i === 4 ? "FAIL" : "COMPLETE",
      params: { [XSS.param]: u, c: choice },
      distributions: xssDist,
      value: i === 4 ? null : u + (choice === "plain" ? 0.2 : 0),
      intermediateValues: { 0: u / 2, 1: u },
      userAttrs: attrs,
      ...(i === 4 ? { error: XSS.error } : {}),
      datetimeStart: new Date(start + i * 1000),
      datetimeComplete: new Date(start + i * 1000 + 500),
    });
  }
  const alert = await storage.createStudy({ name: XSS.alertName, direction: "minimize" });
  for (let i = 0; i < 4; i++) {
    await storage.createTrial(alert, {
      state: "COMPLETE",
      params: { [XSS.alertName]: i / 4 },
      distributions: { [XSS.alertName]: xssDist[XSS.param] },
      value: i,
      datetimeStart: new Date(start),
      datetimeComplete: new Date(start + 1000),
    });
  }
  const empty = await storage.createStudy({ name: "empty study", direction: "minimize" });
  return { main, twin, xss, alert, empty };
}
