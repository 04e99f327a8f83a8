/**
 * The comm manager's bookkeeping, with a transport that records what the kernel
 * would send (the whole path through Jupyter is in protocol.test.ts).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Comm, type CommData, CommManager, type CommMessageType } from "../../kernel/comms.js";

function recording(parent: () => unknown = () => "cell-1") {
  const sent: { type: CommMessageType; content: CommData; parent: unknown }[] = [];
  const manager = new CommManager();
  manager.setTransport({ send: (type, content, to) => sent.push({ type, content, parent: to }), currentParent: parent });
  return { manager, sent };
}

describe("CommManager", () => {
  it("hands a frontend's comm to its target, with its messages and its close", () => {
    const { manager } = recording();
    const seen: string[] = [];
    manager.registerTarget("demo", (comm, data) => {
      seen.push(`open ${comm.id} ${JSON.stringify(data)}`);
      comm.onMessage((message) => seen.push(`msg ${JSON.stringify(message)}`));
      comm.onClose(() => seen.push("close"));
    });
    manager.handleOpen({ comm_id: "c1", target_name: "demo", data: { a: 1 } });
    assert.deepEqual(manager.info(), { c1: { target_name: "demo" } });
    manager.handleMessage({ comm_id: "c1", data: { b: 2 } });
    manager.handleClose({ comm_id: "c1", data: {} });
    manager.handleMessage({ comm_id: "c1", data: { after: true } });
    assert.deepEqual(seen, ['open c1 {"a":1}', 'msg {"b":2}', "close"]);
    assert.deepEqual(manager.info(), {});
  });

  it("closes at once a comm to a target it does not know", () => {
    const { manager, sent } = recording();
    manager.handleOpen({ comm_id: "c2", target_name: "nobody", data: {} });
    assert.deepEqual(sent, [{ type: "comm_close", content: { comm_id: "c2", data: {} }, parent: "cell-1" }]);
    assert.deepEqual(manager.info(), {});
  });

  it("opens comms of its own: every message answers the request that opened it; nothing after close", () => {
    let parent = "cell-1";
    const { manager, sent } = recording(() => parent);
    const comm = manager.openComm("progress", { n: 0 }) as Comm;
    parent = "cell-2";
    comm.send({ n: 1 });
    comm.close({ n: 2 });
    comm.send({ n: 3 });
    comm.close();
    assert.deepEqual(
      sent.map((m) => [m.type, m.content.data, m.parent]),
      [
        ["comm_open", { n: 0 }, "cell-1"],
        ["comm_msg", { n: 1 }, "cell-1"],
        ["comm_close", { n: 2 }, "cell-1"],
      ],
    );
    assert.equal(sent[0].content.target_name, "progress");
    assert.equal(comm.closed, true);
  });

  it("lists open comms by target for comm_info_request", () => {
    const { manager } = recording();
    manager.registerTarget("a", () => {});
    manager.handleOpen({ comm_id: "x", target_name: "a" });
    const own = manager.openComm("b") as Comm;
    assert.deepEqual(manager.info(), { x: { target_name: "a" }, [own.id]: { target_name: "b" } });
    assert.deepEqual(manager.info("b"), { [own.id]: { target_name: "b" } });
  });

  it("opens nothing outside a kernel, and survives a target that throws", () => {
    const lone = new CommManager();
    assert.equal(lone.openComm("progress"), null);
    const { manager } = recording();
    manager.registerTarget("broken", () => {
      throw new Error("boom");
    });
    const errors: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      manager.handleOpen({ comm_id: "b1", target_name: "broken" });
    } finally {
      console.error = original;
    }
    assert.match(String(errors[0][0]), /Error in the handler of comm target "broken"/);
    assert.deepEqual(manager.info(), { b1: { target_name: "broken" } });
  });
});
