import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { ValueError } from "../../../core/errors.js";
import type { JsonValue, StudyDirection, TrialRecord } from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { createStudy, loadStudy } from "../../../tune/create-study.js";
import { setVerbosity } from "../../../tune/log.js";
import { constrainedDominates, constrainedFronts, ranked } from "../../../tune/samplers/nsga/dominance.js";
import {
  BLXAlphaCrossover,
  CROSSOVER_NAMES,
  type Crossover,
  NSGAIISampler,
  SBXCrossover,
  SPXCrossover,
  UNDXCrossover,
  UniformCrossover,
  VSBXCrossover,
} from "../../../tune/samplers/nsga/index.js";
import { crowdingElite } from "../../../tune/samplers/nsga/nsga2.js";
import type { Trial } from "../../../tune/trial.js";
import { skipWithoutOptuna } from "../../tracker/storage/optuna-peer.js";
import { suiteDirectory } from "../kit-support.js";
import { multiObjectiveContract, samplerContract } from "./contract.js";
import { completeTrial, skipWithoutStoredGenerations } from "./nsga-support.js";

setVerbosity("silent");

const MULTI = { objectives: 2 };
const SINGLE = { objectives: 1 };

/** `count` children of `parents` in [0, 1]^n. */
function children(crossover: Crossover, parents: number[][], count: number, context = MULTI, seed = 1): number[][] {
  const rng = new Rng(seed);
  const bounds = parents[0].map((): [number, number] => [0, 1]);
  return Array.from({ length: count }, () => crossover.cross(parents, bounds, rng, context));
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function sd(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
}

/** Within four standard errors of a proportion p over n draws. */
function assertProportion(observed: number, p: number, n: number, what: string): void {
  const tolerance = 4 * Math.sqrt((p * (1 - p)) / n);
  assert.ok(Math.abs(observed - p) < tolerance, `${what}: ${observed.toFixed(4)}, expected ${p} ± ${tolerance.toFixed(4)}`);
}

describe("crossovers, as Optuna 3.1 defines them", () => {
  it("uniform: each coordinate is the first parent's with probability swappingProb, else the second's", () => {
    const coordinates = 4000;
    const [child] = children(
      new UniformCrossover({ swappingProb: 0.3 }),
      [new Array(coordinates).fill(0.25), new Array(coordinates).fill(0.75)],
      1,
    );
    assert.ok(child.every((v) => v === 0.25 || v === 0.75));
    assertProportion(child.filter((v) => v === 0.25).length / coordinates, 0.3, coordinates, "share from the first parent");
  });

  it("BLX-α: uniform over the parents' interval widened by α of its width on each side", () => {
    const values = children(new BLXAlphaCrossover({ alpha: 0.5 }), [[0.2], [0.6]], 4000).map(([v]) => v);
    assert.ok(values.every((v) => v >= 0 && v <= 0.8));
    assert.ok(Math.min(...values) < 0.01 && Math.max(...values) > 0.79, "it reaches both widened ends");
    assert.ok(Math.abs(mean(values) - 0.4) < 0.01, `mean ${mean(values)}`);
    assert.ok(Math.abs(sd(values) - 0.8 / Math.sqrt(12)) < 0.01, `sd ${sd(values)}: uniform over a width of 0.8`);
  });

  for (const Sbx of [SBXCrossover, VSBXCrossover]) {
    it(`${Sbx.name}: half the coordinates are a parent's, the others spread around the parents, less as eta grows`, () => {
      const parents = [new Array(2000).fill(0.3), new Array(2000).fill(0.7)];
      const spread = (eta: number) => {
        const child = children(new Sbx({ eta }), parents, 1)[0];
        const offspring = child.filter((v) => v !== 0.3 && v !== 0.7);
        assertProportion(1 - offspring.length / child.length, 0.5, child.length, `eta ${eta}: share of parents' values`);
        return mean(offspring.map((v) => Math.min(Math.abs(v - 0.3), Math.abs(v - 0.7))));
      };
      const [wide, narrow] = [spread(2), spread(20)];
      assert.ok(narrow < wide / 2, `distance to the nearer parent: eta 2 ${wide.toFixed(4)}, eta 20 ${narrow.toFixed(4)}`);
      // The default is 20 with several objectives and 2 with one.
      assert.deepEqual(children(new Sbx(), parents, 1, MULTI), children(new Sbx({ eta: 20 }), parents, 1));
      assert.deepEqual(children(new Sbx(), parents, 1, SINGLE), children(new Sbx({ eta: 2 }), parents, 1));
    });
  }

  it("SBX keeps its offspring inside the bounds even with parents at the edges; vSBX may leave them", () => {
    const parents = [new Array(2000).fill(0.001), new Array(2000).fill(0.999)];
    assert.ok(children(new SBXCrossover({ eta: 0.5 }), parents, 1)[0].every((v) => v >= 0 && v <= 1));
    assert.ok(children(new VSBXCrossover({ eta: 0.5 }), parents, 1)[0].some((v) => v < 0 || v > 1));
  });

  it("UNDX: centred on the first two parents' midpoint, spread σξ² times their distance along their line", () => {
    const along = children(new UNDXCrossover({ sigmaXi: 0.5 }), [[0.2], [0.6], [0.9]], 4000).map(([v]) => v);
    assert.ok(Math.abs(mean(along) - 0.4) < 0.005, `mean ${mean(along)}`);
    assert.ok(Math.abs(sd(along) - 0.25 * 0.4) < 0.005, `sd ${sd(along)}`);
    // In 3-D, the spread across the line scales with the third parent's distance from it.
    const across = (x3: number[]) => sd(children(new UNDXCrossover(), [[0.5, 0.5, 0.2], [0.5, 0.5, 0.8], x3], 4000).map(([x]) => x));
    const near = across([0.55, 0.5, 0.5]);
    const far = across([0.9, 0.5, 0.5]);
    assert.ok(Math.abs(far / near - 8) < 0.8, `spread across the line: ${near.toFixed(4)} vs ${far.toFixed(4)} for distances 0.05 and 0.4`);
  });

  it("SPX: every child inside the parents' triangle expanded by ε about its centre", () => {
    const parents = [
      [0.4, 0.4],
      [0.6, 0.45],
      [0.5, 0.6],
    ];
    const epsilon = 1.5;
    const centre = [0.5, (0.4 + 0.45 + 0.6) / 3];
    const [a, b, c] = parents.map((p) => p.map((v, i) => centre[i] + epsilon * (v - centre[i])));
    const area = (p: number[], q: number[], r: number[]) => (q[0] - p[0]) * (r[1] - p[1]) - (r[0] - p[0]) * (q[1] - p[1]);
    let nearEdge = 0;
    for (const child of children(new SPXCrossover({ epsilon }), parents, 2000)) {
      const weights = [area(child, b, c), area(a, child, c), area(a, b, child)].map((w) => w / area(a, b, c));
      assert.ok(
        weights.every((w) => w > -1e-12),
        `child ${child} outside the expanded triangle (barycentric ${weights})`,
      );
      if (Math.min(...weights) < 0.05) nearEdge++;
    }
    assert.ok(nearEdge > 100, "children reach the expanded edges");
  });

  it("refuses unknown names and bad options, naming the fix", () => {
    assert.deepEqual(CROSSOVER_NAMES, ["uniform", "blxalpha", "sbx", "vsbx", "undx", "spx"]);
    assert.throws(() => new NSGAIISampler({ crossover: "sbxx" as "sbx" }), /unknown crossover "sbxx".*Did you mean "sbx"/);
    assert.throws(
      () => new NSGAIISampler({ crossover: "spx", populationSize: 2 }),
      /spx crossover needs 3 parents, so populationSize must be at least 3/,
    );
    assert.throws(() => new NSGAIISampler({ populationSize: 1 }), ValueError);
    assert.throws(() => new NSGAIISampler({ mutationProb: 1.5 }), /mutationProb must be a probability/);
    assert.throws(() => new NSGAIISampler({ crossoverProb: -0.1 }), /crossoverProb/);
    assert.throws(() => new NSGAIISampler({ populationSize: 10, popSize: 3 } as object), /popSize/);
    assert.throws(() => new SBXCrossover({ eta: -1 }), /eta must be a finite number ≥ 0/);
  });
});

/** Brute force: fronts by counting dominators under constrained dominance, one pass per front. */
function bruteForceFronts(trials: readonly TrialRecord[], directions: readonly StudyDirection[]): number[][] {
  const r = trials.map((t) => ranked(t, directions));
  const better = (i: number, j: number) => {
    if (r[i].feasible !== r[j].feasible) return r[i].feasible;
    if (!r[i].feasible) return r[i].violation < r[j].violation;
    return r[i].point.every((v, k) => v <= r[j].point[k]) && r[i].point.some((v, k) => v < r[j].point[k]);
  };
  const left = new Set(trials.map((_, i) => i));
  const fronts: number[][] = [];
  while (left.size > 0) {
    const front = [...left].filter((i) => ![...left].some((j) => better(j, i)));
    for (const i of front) left.delete(i);
    fronts.push(front);
  }
  return fronts;
}

/** Optuna's `_calc_crowding_distance`, written out: per objective, neighbours' gap over the front's range. */
function bruteForceCrowding(points: readonly (readonly number[])[]): number[] {
  const distance = points.map(() => 0);
  for (let m = 0; m < points[0].length; m++) {
    const order = points.map((_, i) => i).sort((i, j) => points[i][m] - points[j][m] || i - j);
    const low = points[order[0]][m];
    const high = points[order[order.length - 1]][m];
    if (low === high) continue;
    order.forEach((i, k) => {
      const below = k === 0 ? -Infinity : points[order[k - 1]][m];
      const above = k === order.length - 1 ? Infinity : points[order[k + 1]][m];
      distance[i] += (above - below) / (high - low);
    });
  }
  return distance;
}

describe("elite selection", () => {
  it("equals a brute-force non-dominated sort and crowding-distance cut on small populations", () => {
    const rng = new Rng(5);
    for (let round = 0; round < 300; round++) {
      const objectives = 1 + (round % 3);
      const directions: StudyDirection[] = Array.from({ length: objectives }, (_, m) => (m === 1 ? "maximize" : "minimize"));
      const size = 2 + rng.integer(0, 8);
      const trials = Array.from({ length: size + rng.integer(0, 12) }, (_, i) => {
        const values = directions.map(() => rng.random());
        const constrained = round % 2 === 1 && rng.random() < 0.7;
        return completeTrial(i, values, constrained ? [rng.random() - 0.6, rng.random() - 0.8] : undefined);
      });
      const fronts = bruteForceFronts(trials, directions);
      const sortedFronts = (f: number[][]) => f.map((front) => [...front].sort((a, b) => a - b));
      assert.deepEqual(
        sortedFronts(constrainedFronts(trials.map((t) => ranked(t, directions)))),
        sortedFronts(fronts),
        `round ${round}: fronts`,
      );
      const expected: number[] = [];
      for (const front of fronts) {
        if (expected.length + front.length <= size) {
          expected.push(...front);
          if (expected.length === size) break;
          continue;
        }
        const distances = bruteForceCrowding(front.map((i) => ranked(trials[i], directions).point));
        const order = front.map((_, k) => k).sort((a, b) => distances[b] - distances[a] || front[a] - front[b]);
        expected.push(...order.slice(0, size - expected.length).map((k) => front[k]));
        break;
      }
      assert.deepEqual(
        crowdingElite(trials, directions, size)
          .map((t) => t.number)
          .sort((a, b) => a - b),
        expected.sort((a, b) => a - b),
        `round ${round}: elite of ${size} from ${trials.length}`,
      );
    }
  });

  it("constrained dominance: feasible beats infeasible, smaller violation wins, no constraints counts as feasible", () => {
    const directions: StudyDirection[] = ["minimize", "minimize"];
    const r = (values: number[], constraints?: number[]) => ranked(completeTrial(0, values, constraints), directions);
    const feasibleBad = r([9, 9], [-1]);
    const infeasibleGood = r([0, 0], [0.5]);
    const infeasibleWorse = r([0, 0], [0.3, 0.4]);
    const unconstrained = r([5, 5]);
    assert.ok(constrainedDominates(feasibleBad, infeasibleGood) && !constrainedDominates(infeasibleGood, feasibleBad));
    assert.ok(constrainedDominates(infeasibleGood, infeasibleWorse), "violation 0.5 beats 0.7");
    assert.ok(
      !constrainedDominates(r([0, 0], [0.5]), r([9, 9], [0.2, 0.3])) && !constrainedDominates(r([9, 9], [0.2, 0.3]), r([0, 0], [0.5])),
      "equal violations tie",
    );
    assert.ok(constrainedDominates(unconstrained, feasibleBad) && constrainedDominates(unconstrained, infeasibleGood));
    assert.ok(constrainedDominates(r([1, 2], [0]), r([1, 3], [-5])) && !constrainedDominates(r([1, 3], [0]), r([2, 1], [0])));
    const trials = [
      [9, 9],
      [0, 0],
      [1, 1],
      [0, 0],
      [5, 5],
    ].map((v, i) => completeTrial(i, v, [[-1], [0.5], [0.2], [0.7], undefined][i] as number[] | undefined));
    assert.deepEqual(constrainedFronts(trials.map((t) => ranked(t, directions))), [[4], [0], [2], [1], [3]]);
  });
});

/** The objective optuna_nsga.py runs, written again in TypeScript. */
function sharedObjective(trial: Trial): number[] {
  const x = trial.suggestFloat("x", 0, 1);
  const y = trial.suggestFloat("y", 0, 1);
  trial.setConstraint("y", y - 0.8);
  return [x, -(1 + 4 * y) * (1 - Math.sqrt(x))];
}

const GENERATION = "nsga2:generation";

/** Each trial's generation as this process recorded it (the live records `optimize` hands to callbacks). */
async function runRecordingGenerations(
  study: Awaited<ReturnType<typeof createStudy>>,
  objective: (trial: Trial) => number[],
  nTrials: number,
): Promise<Map<number, JsonValue>> {
  const generations = new Map<number, JsonValue>();
  await study.optimize(objective, {
    nTrials,
    catch: true,
    callbacks: [(_, trial) => void generations.set(trial.number, trial.systemAttrs[GENERATION])],
  });
  return generations;
}

describe("generations", () => {
  it("are recorded on each trial as Optuna writes them: populationSize COMPLETE trials each, FAIL ones not counted", async () => {
    const study = await createStudy({
      storage: new InMemoryStorage(),
      directions: ["minimize", "maximize"],
      sampler: new NSGAIISampler({ populationSize: 4, seed: 2 }),
    });
    const generations = await runRecordingGenerations(
      study,
      (t) => {
        if (t.number === 5) throw new Error("a failed trial of generation 1");
        return sharedObjective(t);
      },
      14,
    );
    assert.deepEqual([...generations.values()], [0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3]);
  });

  it("with trials running at once: a generation's running trials are not parents, and late ones still join it", async () => {
    const study = await createStudy({
      storage: new InMemoryStorage(),
      directions: ["minimize", "maximize"],
      sampler: new NSGAIISampler({ populationSize: 3, seed: 4 }),
    });
    const asked = [];
    for (let i = 0; i < 5; i++) asked.push(await study.ask());
    for (const t of asked.slice(0, 3)) await study.tell(t, sharedObjective(t));
    const next = await study.ask(); // generation 0 is full: a child, while two of its trials still run
    for (const t of asked.slice(3)) await study.tell(t, sharedObjective(t));
    await study.tell(next, sharedObjective(next));
    const all = [...asked, next].map((t) => t.record.systemAttrs[GENERATION]);
    assert.deepEqual(all, [0, 0, 0, 0, 0, 1]);
  });
});

const withoutOptuna = skipWithoutOptuna();
const withoutStoredGenerations = await skipWithoutStoredGenerations();

describe("generations in storage", { skip: withoutStoredGenerations }, () => {
  it("a study loaded again, with a new sampler, goes on from the generations its trials record", async () => {
    const storage = new InMemoryStorage();
    const first = await createStudy({
      storage,
      name: "resumed",
      directions: ["minimize", "maximize"],
      sampler: new NSGAIISampler({ populationSize: 4, seed: 1 }),
    });
    await first.optimize(sharedObjective, { nTrials: 6 });
    const again = await loadStudy({ name: "resumed", storage, sampler: new NSGAIISampler({ populationSize: 4, seed: 2 }) });
    await again.optimize(sharedObjective, { nTrials: 3 });
    assert.deepEqual(
      (await again.trials()).map((t) => t.systemAttrs[GENERATION]),
      [0, 0, 0, 0, 1, 1, 1, 1, 2],
    );
  });
});

describe("a study shared with Optuna 3.1's NSGA-II", { skip: withoutOptuna }, () => {
  const dir = suiteDirectory("tunebook-nsga2-");
  const script = fileURLToPath(new URL("./fixtures/optuna_nsga.py", import.meta.url));
  interface OptunaTrial {
    number: number;
    state: string;
    values: number[];
    system_attrs: Record<string, JsonValue>;
  }
  const optuna = (command: string, path: string, n: number) =>
    JSON.parse(
      execFileSync("/usr/bin/python3", [script, command, `sqlite:///${path}`, "shared", String(n), "4", "7"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      }),
    ).trials as OptunaTrial[];

  it("continues the generations Optuna started, its parents Optuna's trials", async () => {
    const path = join(dir(), "optuna-first.db");
    const written = optuna("start", path, 8);
    assert.deepEqual(
      written.map((t) => t.system_attrs[GENERATION]),
      [0, 0, 0, 0, 1, 1, 1, 1],
    );
    const study = await loadStudy({
      name: "shared",
      storage: `sqlite:${path}`,
      sampler: new NSGAIISampler({ populationSize: 4, seed: 3 }),
    });
    const ours = await runRecordingGenerations(study, sharedObjective, 8);
    assert.deepEqual(
      [...ours.entries()],
      [8, 9, 10, 11, 12, 13, 14, 15].map((n) => [n, n < 12 ? 2 : 3]),
    );
    const trials = await study.trials();
    assert.ok(trials.every((t) => t.state === "COMPLETE" && t.values?.length === 2));
    // Children of Optuna's elite: each parameter is redrawn with probability ½, so most children keep a parent's value.
    const parentValues = new Set(written.flatMap((t) => [trials[t.number].params.x, trials[t.number].params.y]));
    const inherited = trials.slice(8, 12).filter((t) => parentValues.has(t.params.x as number) || parentValues.has(t.params.y as number));
    assert.ok(inherited.length >= 2, `${inherited.length} of generation 2's 4 trials share a value with generation 0 or 1`);
  });

  describe("with the generations in storage", { skip: withoutStoredGenerations }, () => {
    it("Optuna continues a study tunebook started, and tunebook one Optuna continued", async () => {
      const path = join(dir(), "tunebook-first.db");
      const study = await createStudy({
        name: "shared",
        storage: `sqlite:${path}`,
        directions: ["minimize", "maximize"],
        sampler: new NSGAIISampler({ populationSize: 4, seed: 1 }),
      });
      await study.optimize(sharedObjective, { nTrials: 9 });
      assert.deepEqual(
        (await study.trials()).map((t) => t.systemAttrs[GENERATION]),
        [0, 0, 0, 0, 1, 1, 1, 1, 2],
      );
      const continued = optuna("continue", path, 7);
      assert.deepEqual(
        continued.map((t) => t.system_attrs[GENERATION]),
        [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3],
      );
      const again = await loadStudy({
        name: "shared",
        storage: `sqlite:${path}`,
        sampler: new NSGAIISampler({ populationSize: 4, seed: 2 }),
      });
      await again.optimize(sharedObjective, { nTrials: 2 });
      assert.deepEqual(
        (await again.trials()).slice(-2).map((t) => t.systemAttrs[GENERATION]),
        [4, 4],
      );
    });
  });
});

// The contract kits with small populations, so the genetic part runs within their budgets.
samplerContract("nsga2 populationSize 4", (seed) => new NSGAIISampler({ seed, populationSize: 4 }), {
  learns: true,
  mayRepeatPoints: true,
});
for (const crossover of CROSSOVER_NAMES) {
  multiObjectiveContract(
    `nsga2 populationSize 4, ${crossover} crossover`,
    (seed) => new NSGAIISampler({ seed, populationSize: 4, crossover }),
    { learns: true, mayRepeatPoints: true, multiObjective: { learningTrials: 150 } },
  );
}
