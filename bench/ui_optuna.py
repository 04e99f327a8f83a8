"""Optuna's own read of the UI benchmark's study, for comparison with the tracker server.

    /usr/bin/python3 bench/ui_optuna.py <sqlite path> <study name> [--dataframe]

Prints one JSON line: seconds for optuna.load_study, study.get_trials() (every trial, which
Optuna 3.1 reads through its storage's get_all_trials), trials_dataframe with --dataframe, and the
peak RSS of this process in MB. Without pandas, trials_dataframe is skipped and says so.
"""

import json
import resource
import sys
import time

import optuna

# Optuna warns, with the whole statement, when a million ids overflow its IN (...) and it falls back to a slower query.
optuna.logging.set_verbosity(optuna.logging.ERROR)


def main() -> None:
    path, name = sys.argv[1], sys.argv[2]
    result = {"optuna": optuna.__version__}
    t0 = time.perf_counter()
    study = optuna.load_study(study_name=name, storage=f"sqlite:///{path}")
    result["load_study_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    trials = study.get_trials(deepcopy=False)
    result["get_trials_s"] = time.perf_counter() - t0
    result["trials"] = len(trials)
    if "--dataframe" in sys.argv:
        try:
            import pandas  # noqa: F401  (trials_dataframe needs it)
        except ImportError:
            result["trials_dataframe"] = "skipped: pandas is not installed"
        else:
            t0 = time.perf_counter()
            study.trials_dataframe()
            result["trials_dataframe_s"] = time.perf_counter() - t0
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
