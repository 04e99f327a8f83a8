"""Drives a Jupyter kernel through jupyter_client, beyond execution: comms, history,
interrupts by message. Reports every message as JSON.

Reads a script on stdin:
  {"kernel": "tunebook", "cwd": "/some/dir", "steps": [step, ...]}
where a step is one of
  {"execute": "<code>", "timeout": 60, "store_history": true,
   "interrupt_after": 2, "interrupt_by": "control" | "client" | "signal",
   "close_progress_comm": false}
  {"complete": "<code>", "cursor_pos": 12}
  {"inspect": "<code>", "cursor_pos": 12}
  {"comm_info": "<target name>" or null}
  {"comm_open": "<target name>", "comm_id": "<id>", "data": {...}}
  {"comm_msg": "<id>", "data": {...}}
  {"comm_close": "<id>"}
  {"history": {"hist_access_type": "tail", "n": 3, "raw": true, ...}}
and writes {"steps": [{"status", "reply", "messages": [{"type", "content"}], ...}]} on
stdout. `interrupt_after` interrupts the cell once that many progress messages
(update_display_data or comm_msg) of it have arrived: "control" sends an
interrupt_request on the control channel and records the interrupt_reply; "client"
calls the kernel manager's interrupt_kernel (a message or SIGINT, as the kernelspec's
interrupt_mode says); "signal" sends SIGINT. `close_progress_comm` closes each comm
the kernel opens to tunebook.progress during the cell as soon as it arrives, as a
frontend without that target does.
"""
import json
import signal
import sys
import time

from jupyter_client.manager import start_new_kernel

PROGRESS = ("update_display_data", "comm_msg")


def collect(kc, msg_id, deadline, on_message=None):
    """The IOPub messages a request caused, up to its idle status."""
    messages = []
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status":
            if msg["content"]["execution_state"] == "idle":
                return messages
            continue
        if kind == "execute_input":
            continue
        messages.append({"type": kind, "content": msg["content"]})
        if on_message:
            on_message(messages)


def shell_reply(kc, msg_id, deadline):
    reply = kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
    return reply


def execute(km, kc, step):
    msg_id = kc.execute(step["execute"], store_history=step.get("store_history", True))
    deadline = time.time() + step.get("timeout", 60)
    result = {"interrupted": False}

    def on_message(messages):
        last = messages[-1]
        if step.get("close_progress_comm") and last["type"] == "comm_open" and last["content"]["target_name"] == "tunebook.progress":
            kc.shell_channel.send(kc.session.msg("comm_close", {"comm_id": last["content"]["comm_id"], "data": {}}))
        maybe_interrupt(messages)

    def maybe_interrupt(messages):
        limit = step.get("interrupt_after")
        if limit is None or result["interrupted"]:
            return
        if sum(1 for m in messages if m["type"] in PROGRESS) < limit:
            return
        result["interrupted"] = True
        how = step.get("interrupt_by", "client")
        if how == "control":
            request = kc.session.msg("interrupt_request", {})
            kc.control_channel.send(request)
            reply = kc.get_control_msg(timeout=30)
            while reply["parent_header"].get("msg_id") != request["header"]["msg_id"]:
                reply = kc.get_control_msg(timeout=30)
            result["interrupt_reply"] = {"msg_type": reply["msg_type"], "content": reply["content"]}
        elif how == "signal":
            km.signal_kernel(signal.SIGINT)
        else:
            km.interrupt_kernel()

    messages = collect(kc, msg_id, deadline, on_message)
    reply = shell_reply(kc, msg_id, deadline)
    status = reply["content"]["status"]
    if status == "error":
        # tslab cancels requests that arrive within 200 ms of a failed cell (so "run
        # all" stops at an error); the next step waits that out.
        time.sleep(0.3)
    return {"status": status, "reply": reply["content"], "messages": messages, **result}


def send_shell(kc, msg_type, content):
    """Sends a request with no reply (comm messages) and collects what it caused."""
    msg = kc.session.msg(msg_type, content)
    kc.shell_channel.send(msg)
    messages = collect(kc, msg["header"]["msg_id"], time.time() + 30)
    return {"status": "sent", "reply": {}, "messages": messages}


def with_reply(reply):
    return {"status": reply["content"].get("status"), "msg_type": reply["msg_type"], "reply": reply["content"], "messages": []}


def run_step(km, kc, step):
    if "execute" in step:
        return execute(km, kc, step)
    if "complete" in step:
        return with_reply(kc.complete(step["complete"], step["cursor_pos"], reply=True, timeout=30))
    if "inspect" in step:
        return with_reply(kc.inspect(step["inspect"], step["cursor_pos"], reply=True, timeout=30))
    if "comm_info" in step:
        return with_reply(kc.comm_info(step["comm_info"], reply=True, timeout=30))
    if "history" in step:
        return with_reply(kc.history(reply=True, timeout=30, **step["history"]))
    if "comm_open" in step:
        return send_shell(kc, "comm_open", {"comm_id": step["comm_id"], "target_name": step["comm_open"], "data": step.get("data", {})})
    if "comm_msg" in step:
        return send_shell(kc, "comm_msg", {"comm_id": step["comm_msg"], "data": step.get("data", {})})
    if "comm_close" in step:
        return send_shell(kc, "comm_close", {"comm_id": step["comm_close"], "data": {}})
    raise ValueError("unknown step: %r" % (step,))


def main():
    script = json.load(sys.stdin)
    km, kc = start_new_kernel(kernel_name=script.get("kernel", "tunebook"), cwd=script.get("cwd"), startup_timeout=60)
    results = []
    try:
        for step in script["steps"]:
            results.append(run_step(km, kc, step))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    json.dump({"steps": results, "interrupt_mode": km.kernel_spec.interrupt_mode}, sys.stdout)


if __name__ == "__main__":
    main()
