"""Executes notebooks top to bottom with nbclient (the engine of `jupyter nbconvert
--execute`), in order, in one working folder, and reports their outputs as JSON.

usage: run_notebooks.py <workdir> <out-dir> <notebook.ipynb>...

Each notebook runs in a fresh kernel named by its own metadata (kernelspec
"tunebook"); the executed copy is written to <out-dir>. Stdout gets:
  {"notebooks": [{"name", "seconds", "error": null | "...", "cells": [
     {"index", "source", "outputs": [{"output_type", "name"?, "text"?, "mimes"?, "ename"?}]}]}]}
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def summarise(cell):
    outputs = []
    for out in cell.get("outputs", []):
        entry = {"output_type": out["output_type"]}
        if out["output_type"] == "stream":
            entry["name"] = out["name"]
            entry["text"] = out["text"]
        elif out["output_type"] in ("display_data", "execute_result"):
            entry["mimes"] = sorted(out["data"].keys())
            entry["text"] = out["data"].get("text/plain", "")
        elif out["output_type"] == "error":
            entry["ename"] = out["ename"]
            entry["text"] = out["evalue"]
        outputs.append(entry)
    return outputs


def main():
    workdir, out_dir, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    report = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=600, startup_timeout=60, resources={"metadata": {"path": workdir}})
        started = time.time()
        error = None
        try:
            client.execute()
        except CellExecutionError as e:
            error = str(e)
        except Exception as e:  # a kernel that died or timed out
            error = f"{type(e).__name__}: {e}"
        name = os.path.basename(path)
        nbformat.write(nb, os.path.join(out_dir, name))
        report.append({
            "name": name,
            "seconds": round(time.time() - started, 1),
            "error": error,
            "cells": [
                {"index": i, "source": c["source"], "outputs": summarise(c)}
                for i, c in enumerate(nb.cells)
                if c["cell_type"] == "code"
            ],
        })
    json.dump({"notebooks": report}, sys.stdout)


if __name__ == "__main__":
    main()
