"""Drives a Jupyter kernel through jupyter_client and reports every message as JSON.

Reads a script on stdin:
  {"kernel": "tunebook", "cwd": "/some/dir", "steps": [step, ...]}
where a step is one of
  {"execute": "<code>", "timeout": 60, "interrupt_after_updates": 1, "interrupt_twice": false}
  {"complete": "<code>", "cursor_pos": 12}
  {"inspect": "<code>", "cursor_pos": 12}
and writes {"steps": [{"status": ..., "reply": {...}, "messages": [{"type", "content"}]}]}
on stdout. `interrupt_after_updates` sends Jupyter's interrupt once that many
update_display_data messages of the cell have arrived (and, with
`interrupt_twice`, again 0.3 s later).
"""
import json
import sys
import time

from jupyter_client.manager import start_new_kernel


def execute(km, kc, step):
    msg_id = kc.execute(step["execute"])
    deadline = time.time() + step.get("timeout", 60)
    messages = []
    updates = 0
    interrupted = False
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status":
            if msg["content"]["execution_state"] == "idle":
                break
            continue
        if kind == "execute_input":
            continue
        messages.append({"type": kind, "content": msg["content"]})
        if kind == "update_display_data":
            updates += 1
            limit = step.get("interrupt_after_updates")
            if limit is not None and not interrupted and updates >= limit:
                km.interrupt_kernel()
                interrupted = True
                if step.get("interrupt_twice"):
                    time.sleep(0.3)
                    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
    status = reply["content"]["status"]
    if status == "error":
        # tslab cancels requests that arrive within 200 ms of a failed cell (so "run
        # all" stops at an error); the next step waits that out.
        time.sleep(0.3)
    return {"status": status, "reply": reply["content"], "messages": messages, "interrupted": interrupted}


def request(kc, step, kind):
    code = step[kind]
    if kind == "complete":
        reply = kc.complete(code, step["cursor_pos"], reply=True, timeout=30)
    else:
        reply = kc.inspect(code, step["cursor_pos"], reply=True, timeout=30)
    return {"status": reply["content"]["status"], "reply": reply["content"], "messages": []}


def main():
    script = json.load(sys.stdin)
    km, kc = start_new_kernel(kernel_name=script.get("kernel", "tunebook"), cwd=script.get("cwd"), startup_timeout=60)
    results = []
    try:
        for step in script["steps"]:
            started = time.time()
            if "execute" in step:
                results.append(execute(km, kc, step))
            elif "complete" in step:
                results.append(request(kc, step, "complete"))
            else:
                results.append(request(kc, step, "inspect"))
            results[-1]["seconds"] = round(time.time() - started, 2)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    json.dump({"steps": results}, sys.stdout)


if __name__ == "__main__":
    main()
