#!/usr/bin/python3
"""Optuna's multi-objective samplers as the peer of tunebook's multi-objective benchmark.

Runs Debian's python3-optuna (3.1) on the problems of problems.ts -- the same formulas,
written a second time here; `check` lets the tests compare the two on random points --
or on an objective evaluated by another process (`external`).

Usage:
  optuna_peer.py quality [--problems zdt1,dtlz2] [--samplers nsga2,tpe,random] [--seeds 20]
                         [--first-seed 0] [--budgets 50,100,200]
  optuna_peer.py check   < {"points": {"zdt1": [{"x0": 0.5, ...}, ...], ...}}
  optuna_peer.py external --space '{"depth": {"low": 1, "high": 12, "int": true}, "kind": {"choices": ["a", "b"]}}'
                         --directions minimize,maximize [--problem digits-size] [--sampler tpe] [--seed 0]
                         [--trials 100] [--constrained] [--reference-point 1,0] [--budgets 50,100]

quality  -> {"kind": "quality", "optuna": version, "results": [{"problem", "sampler", "seed",
             "hypervolume": {budget: hv}, "feasible": {budget: count}, "ms_per_suggestion": ms,
             "cpu_ms_per_suggestion": ms, "values": [[..] per trial], "feasibles": [bool per trial]}]}
            The hypervolume at budget B is that of the feasible COMPLETE trials among the first B,
            w.r.t. the problem's reference point (points not strictly better than it in every
            objective add nothing). ms_per_suggestion: median over the trials of the wall time of
            study.ask() plus the trial's suggest calls (where the samplers do their work);
            cpu_ms_per_suggestion the same in this process's CPU time (other load on a shared
            machine does not count). values/feasibles: every trial's, for other reference points.
check    -> {"kind": "check", "problems": {name: {"params", "directions", "reference_point",
             "true_front_hypervolume", "constrained"}}, "values": {name: [{"values", "constraints"}]},
             "hypervolume": {name: hv of the given points' feasible values}}
external -> for each trial one line {"ask": {name: value}, "number": n} on stdout, answered by one line
            {"values": [..], "constraints": [..]} on stdin ("values": null fails the trial; NaN,
            Infinity and -Infinity are read as Python reads them, so Optuna treats them as it would),
            then a last line {"kind": "external", "problem", "sampler", "seed", "optuna",
            "ms_per_suggestion", "cpu_ms_per_suggestion", "trials": [{"number", "state", "params", "values", "constraints"}],
            "hypervolume": {budget: hv}} (the hypervolume only with --reference-point, given in the
            directions' own orientation; non-finite values are written as null).

hypervolume < {"sets": {name: [[..], ..]}, "reference_point": [..], "repeats": 5}
         -> {"kind": "hypervolume", "results": {name: {"hypervolume", "cpu_ms"}}}: Optuna 3.1's WFG
            (after dropping dominated points, as above), median CPU time of the repeats.

Samplers: "nsga2" is NSGAIISampler(seed=seed) (population 50), "tpe" TPESampler(seed=seed) (3.1's
multi-objective TPE), both with constraints_func on a constrained problem (Optuna stores the
constraints in the trial's system attribute "constraints"); "random" is RandomSampler(seed=seed).

Install the peer with: apt-get install -y python3-optuna  (brings numpy and scipy).
"""
import argparse
import json
import math
import statistics
import sys
import time
import warnings

import numpy as np
import optuna
from optuna._hypervolume import WFG

HALF_PI = math.pi / 2


# --- The problems: the same formulas as problems.ts, in the same order of operations. ---


def correct_to_01(a, epsilon=1.0e-10):
    """Huband et al.'s toolkit: values within epsilon outside [0, 1] are rounding errors."""
    if -epsilon <= a <= 0.0:
        return 0.0
    if 1.0 <= a <= 1.0 + epsilon:
        return 1.0
    return a


def zdt_g(x):
    n = len(x)
    return 1 + (9 * sum(x[1:])) / (n - 1)


def zdt1(x):
    g = zdt_g(x)
    f1 = x[0]
    return [f1, g * (1 - math.sqrt(f1 / g))]


def zdt2(x):
    g = zdt_g(x)
    f1 = x[0]
    return [f1, g * (1 - (f1 / g) ** 2)]


def zdt3(x):
    g = zdt_g(x)
    f1 = x[0]
    return [f1, g * (1 - math.sqrt(f1 / g) - (f1 / g) * math.sin(10 * math.pi * f1))]


def dtlz2(x):
    g = sum((v - 0.5) ** 2 for v in x[2:])
    a, b = x[0] * HALF_PI, x[1] * HALF_PI
    return [(1 + g) * math.cos(a) * math.cos(b), (1 + g) * math.cos(a) * math.sin(b), (1 + g) * math.sin(a)]


def s_multi(y, a, b, c):
    tmp1 = abs(y - c) / (2 * (math.floor(c - y) + c))
    tmp2 = (4 * a + 2) * math.pi * (0.5 - tmp1)
    return correct_to_01((1 + math.cos(tmp2) + 4 * b * tmp1 ** 2) / (b + 2))


def r_sum(y):
    return correct_to_01(sum(y) / len(y))


WFG4_K = 2


def wfg4(z):
    y = [s_multi(v / (2 * (i + 1)), 30, 10, 0.35) for i, v in enumerate(z)]
    t1, t2 = r_sum(y[:WFG4_K]), r_sum(y[WFG4_K:])
    # x_1 = max(t_M, A_1) (t_1 - 0.5) + 0.5 with A_1 = 1, so x_1 = t_1; x_M = t_M; D = 1, S_m = 2m.
    return [t2 + 2 * math.sin(t1 * HALF_PI), t2 + 4 * math.cos(t1 * HALF_PI)]


def binh_korn(x):
    return [4 * x[0] ** 2 + 4 * x[1] ** 2, (x[0] - 5) ** 2 + (x[1] - 5) ** 2]


def binh_korn_constraints(x, values):
    return [(x[0] - 5) ** 2 + x[1] ** 2 - 25, 7.7 - (x[0] - 8) ** 2 - (x[1] + 3) ** 2]


def floats(n, high=lambda i: 1.0):
    return [{"name": "x%d" % i, "low": 0.0, "high": float(high(i))} for i in range(n)]


PROBLEMS = {
    "zdt1": {"params": floats(8), "objectives": zdt1, "reference_point": [1.1, 1.1],
             "true_front_hypervolume": 0.21 + 2 / 3},
    "zdt2": {"params": floats(8), "objectives": zdt2, "reference_point": [1.1, 1.1],
             "true_front_hypervolume": 0.21 + 1 / 3},
    "zdt3": {"params": floats(8), "objectives": zdt3, "reference_point": [1.1, 1.1],
             "true_front_hypervolume": 1.331762908657020},
    "dtlz2": {"params": floats(6), "objectives": dtlz2, "reference_point": [1.1, 1.1, 1.1],
              "true_front_hypervolume": 1.1 ** 3 - math.pi / 6},
    "wfg4": {"params": floats(6, lambda i: 2 * (i + 1)), "objectives": wfg4, "reference_point": [3.0, 5.0],
             "true_front_hypervolume": 15 - 2 * math.pi},
    "binh_korn": {"params": [{"name": "x0", "low": 0.0, "high": 5.0}, {"name": "x1", "low": 0.0, "high": 3.0}],
                  "objectives": binh_korn, "constraints": binh_korn_constraints,
                  "reference_point": [140.0, 50.0], "true_front_hypervolume": 15856 / 3},
}


def evaluate(problem, params):
    x = [params[p["name"]] for p in problem["params"]]
    values = problem["objectives"](x)
    constraints = problem["constraints"](x, values) if "constraints" in problem else None
    return values, constraints


# --- Hypervolume ---


def hypervolume(points, reference_point):
    """Exact hypervolume of the points (all minimised) strictly better than the reference in every objective."""
    ref = np.asarray(reference_point, dtype=np.float64)
    inside = [p for p in points if all(v < r for v, r in zip(p, reference_point))]
    if not inside:
        return 0.0
    pts = np.asarray(inside, dtype=np.float64)
    if len(reference_point) == 2:
        order = np.lexsort((pts[:, 1], pts[:, 0]))
        area, lowest = 0.0, ref[1]
        for x, y in pts[order]:
            if y < lowest:
                area += (ref[0] - x) * (lowest - y)
                lowest = y
        return float(area)
    # WFG on the non-dominated points only (a point equal to another is kept once).
    front = []
    for i, p in enumerate(pts):
        dominated = np.any(np.all(pts <= p, axis=1) & (np.any(pts < p, axis=1) | (np.arange(len(pts)) < i)))
        if not dominated:
            front.append(p)
    return float(WFG().compute(np.asarray(front), ref))


def feasible(constraints):
    return constraints is None or all(c <= 0 for c in constraints)


# --- Samplers ---


def make_sampler(name, seed, constraints_func):
    extra = {"constraints_func": constraints_func} if constraints_func is not None else {}
    if name == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed, **extra)
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed, **extra)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise SystemExit("unknown sampler %r; choose from nsga2, tpe, random" % name)


def hypervolume_at(budgets, points, feasibles, reference_point):
    hv, count = {}, {}
    for b in budgets:
        chosen = [p for p, ok in zip(points[:b], feasibles[:b]) if ok and p is not None]
        hv[str(b)] = hypervolume(chosen, reference_point)
        count[str(b)] = len(chosen)
    return hv, count


# --- Modes ---


def quality(args):
    names = args.problems.split(",") if args.problems else list(PROBLEMS)
    for name in names:
        if name not in PROBLEMS:
            raise SystemExit("unknown problem %r; choose from %s" % (name, ", ".join(PROBLEMS)))
    budgets = [int(b) for b in args.budgets.split(",")]
    results = []
    for name in names:
        problem = PROBLEMS[name]
        directions = ["minimize"] * len(problem["reference_point"])
        constraints_func = None
        if "constraints" in problem:
            def constraints_func(trial, problem=problem):
                return problem["constraints"]([trial.params[p["name"]] for p in problem["params"]], trial.values)
        for sampler_name in args.samplers.split(","):
            for seed in range(args.first_seed, args.first_seed + args.seeds):
                study = optuna.create_study(directions=directions, sampler=make_sampler(sampler_name, seed, constraints_func))
                points, feasibles, times, cpu_times = [], [], [], []
                for _ in range(max(budgets)):
                    start, cpu_start = time.perf_counter(), time.process_time()
                    trial = study.ask()
                    params = {p["name"]: trial.suggest_float(p["name"], p["low"], p["high"]) for p in problem["params"]}
                    times.append(time.perf_counter() - start)
                    cpu_times.append(time.process_time() - cpu_start)
                    values, constraints = evaluate(problem, params)
                    study.tell(trial, values)
                    points.append(values)
                    feasibles.append(feasible(constraints))
                hv, count = hypervolume_at(budgets, points, feasibles, problem["reference_point"])
                results.append({"problem": name, "sampler": sampler_name, "seed": seed, "hypervolume": hv,
                                "feasible": count, "ms_per_suggestion": 1000 * statistics.median(times),
                                "cpu_ms_per_suggestion": 1000 * statistics.median(cpu_times),
                                "values": points, "feasibles": feasibles})
    return {"kind": "quality", "optuna": optuna.__version__, "results": results}


def check(_args):
    request = json.load(sys.stdin)
    problems, values, hv = {}, {}, {}
    for name, problem in PROBLEMS.items():
        problems[name] = {"params": problem["params"], "directions": ["minimize"] * len(problem["reference_point"]),
                          "reference_point": problem["reference_point"],
                          "true_front_hypervolume": problem["true_front_hypervolume"],
                          "constrained": "constraints" in problem}
    for name, points in request.get("points", {}).items():
        if name not in PROBLEMS:
            raise SystemExit("unknown problem %r; choose from %s" % (name, ", ".join(PROBLEMS)))
        evaluated = [evaluate(PROBLEMS[name], params) for params in points]
        values[name] = [{"values": v, "constraints": c} for v, c in evaluated]
        hv[name] = hypervolume([v for v, c in evaluated if feasible(c)], PROBLEMS[name]["reference_point"])
    return {"kind": "check", "optuna": optuna.__version__, "problems": problems, "values": values, "hypervolume": hv}


def suggest_from_space(trial, space):
    params = {}
    for name, spec in space.items():
        if "choices" in spec:
            params[name] = trial.suggest_categorical(name, spec["choices"])
        elif spec.get("int"):
            params[name] = trial.suggest_int(name, int(spec["low"]), int(spec["high"]), step=int(spec.get("step", 1)),
                                             log=bool(spec.get("log", False)))
        else:
            params[name] = trial.suggest_float(name, float(spec["low"]), float(spec["high"]), step=spec.get("step"),
                                               log=bool(spec.get("log", False)))
    return params


def finite_or_none(values):
    return None if values is None else [v if math.isfinite(v) else None for v in values]


def external(args):
    space = json.loads(args.space)
    if not isinstance(space, dict) or not space:
        raise SystemExit("--space must be a JSON object of parameters, like '{\"x\": {\"low\": 0, \"high\": 1}}'")
    directions = args.directions.split(",")
    for d in directions:
        if d not in ("minimize", "maximize"):
            raise SystemExit("--directions takes minimize or maximize for each objective, got %r" % d)
    constraints_func = (lambda trial: trial.user_attrs["constraints"]) if args.constrained else None
    study = optuna.create_study(directions=directions, sampler=make_sampler(args.sampler, args.seed, constraints_func))
    out = sys.stdout
    times, cpu_times, trials = [], [], []
    for _ in range(args.trials):
        start, cpu_start = time.perf_counter(), time.process_time()
        trial = study.ask()
        params = suggest_from_space(trial, space)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
        out.write(json.dumps({"ask": params, "number": trial.number}) + "\n")
        out.flush()
        line = sys.stdin.readline()
        if not line:
            raise SystemExit("external: standard input closed before trial %d was answered" % trial.number)
        answer = json.loads(line)
        values = answer.get("values")
        constraints = answer.get("constraints")
        if args.constrained and values is not None and constraints is None:
            raise SystemExit("external: trial %d has no constraints, but --constrained was given" % trial.number)
        if constraints is not None:
            constraints = [float(c) for c in constraints]
            trial.set_user_attr("constraints", constraints)
        if values is None:
            frozen = study.tell(trial, state=optuna.trial.TrialState.FAIL)
        else:
            values = [float(v) for v in values]
            if len(values) != len(directions):
                raise SystemExit("external: trial %d has %d values for %d directions" % (trial.number, len(values), len(directions)))
            frozen = study.tell(trial, values)
        trials.append({"number": frozen.number, "state": frozen.state.name, "params": params,
                       "values": finite_or_none(frozen.values), "constraints": constraints})
    result = {"kind": "external", "problem": args.problem, "sampler": args.sampler, "seed": args.seed,
              "optuna": optuna.__version__, "ms_per_suggestion": 1000 * statistics.median(times) if times else None,
              "cpu_ms_per_suggestion": 1000 * statistics.median(cpu_times) if cpu_times else None,
              "trials": trials}
    if args.reference_point:
        sign = [1.0 if d == "minimize" else -1.0 for d in directions]
        reference = [s * float(r) for s, r in zip(sign, args.reference_point.split(","))]
        if len(reference) != len(directions):
            raise SystemExit("--reference-point needs one value per direction")
        points = [[s * v for s, v in zip(sign, t["values"])] if t["state"] == "COMPLETE" and None not in t["values"] else None
                  for t in trials]
        feasibles = [feasible(t["constraints"]) for t in trials]
        budgets = [int(b) for b in args.budgets.split(",")] if args.budgets else [args.trials]
        result["hypervolume"], result["feasible"] = hypervolume_at(budgets, points, feasibles, reference)
    return result


def hypervolume_timing(_args):
    request = json.load(sys.stdin)
    reference = request["reference_point"]
    results = {}
    for name, points in request["sets"].items():
        times, value = [], None
        for _ in range(int(request.get("repeats", 5))):
            start = time.process_time()
            value = hypervolume(points, reference)
            times.append(time.process_time() - start)
        results[name] = {"hypervolume": value, "cpu_ms": 1000 * statistics.median(times)}
    return {"kind": "hypervolume", "optuna": optuna.__version__, "results": results}


def main():
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["quality", "check", "external", "hypervolume"])
    ap.add_argument("--problems", default="")
    ap.add_argument("--samplers", default="nsga2,tpe,random")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--budgets", default="")
    ap.add_argument("--problem", default="external")
    ap.add_argument("--space", default="")
    ap.add_argument("--directions", default="")
    ap.add_argument("--sampler", default="tpe")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--constrained", action="store_true")
    ap.add_argument("--reference-point", default="")
    args = ap.parse_args()
    if args.mode == "quality":
        args.budgets = args.budgets or "50,100,200"
        out = quality(args)
    elif args.mode == "check":
        out = check(args)
    elif args.mode == "hypervolume":
        out = hypervolume_timing(args)
    else:
        if not args.space or not args.directions:
            raise SystemExit("external needs --space and --directions")
        out = external(args)
    sys.stdout.write(json.dumps(out, allow_nan=False) + "\n")


if __name__ == "__main__":
    main()
