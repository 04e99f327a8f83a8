"""Replays learning-curve scenarios through Optuna's own pruners.

Reads [{"pruner": {"name", "options"}, "scenario": {...}}] as JSON on stdin and
writes [{"decisions": [[bool...]...], "states": [...]}] on stdout. The schedule is the
one of replay() in helpers.ts: trials asked in order, at most `concurrency` at once,
every running trial reports once per tick and asks should_prune().
Run: /usr/bin/python3 test/tune/pruners/optuna_replay.py < scenarios.json
"""
import json
import re
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)

CLASSES = {
    "median": "MedianPruner",
    "percentile": "PercentilePruner",
    "successive-halving": "SuccessiveHalvingPruner",
    "hyperband": "HyperbandPruner",
    "threshold": "ThresholdPruner",
    "patient": "PatientPruner",
    "none": "NopPruner",
}


def snake(name):
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def build(spec):
    if spec is None:
        return None
    kwargs = {snake(k): v for k, v in (spec.get("options") or {}).items()}
    if spec["name"] == "patient":
        kwargs["wrapped_pruner"] = build(kwargs.pop("wrapped", None))
    return getattr(optuna.pruners, CLASSES[spec["name"]])(**kwargs)


def run(case):
    scenario = case["scenario"]
    curves = scenario["curves"]
    steps = scenario.get("steps")
    concurrency = scenario.get("concurrency") or 1
    study = optuna.create_study(
        study_name=scenario["studyName"],
        direction=scenario["direction"],
        pruner=build(case["pruner"]),
    )
    decisions = [[] for _ in curves]
    states = [None] * len(curves)
    running = []
    asked = 0
    while asked < len(curves) or running:
        while len(running) < concurrency and asked < len(curves):
            running.append([study.ask(), 0])
            asked += 1
        still = []
        for slot in running:
            trial, k = slot
            i = trial.number
            step = steps[k] if steps else k
            value = curves[i][k]
            trial.report(value, step)
            slot[1] = k + 1
            prune = trial.should_prune()
            decisions[i].append(bool(prune))
            if prune:
                study.tell(trial, state=optuna.trial.TrialState.PRUNED)
                states[i] = "PRUNED"
            elif slot[1] == len(curves[i]):
                study.tell(trial, value)
                states[i] = "COMPLETE"
            else:
                still.append(slot)
        running = still
    return {"decisions": decisions, "states": states}


def main():
    cases = json.load(sys.stdin)
    json.dump([run(case) for case in cases], sys.stdout)


if __name__ == "__main__":
    main()
