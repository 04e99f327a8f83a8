import { randomUUID } from "node:crypto";

/**
 * Jupyter comms: two-way channels between the kernel and a frontend, each bound
 * to a target name. A frontend opens one with `comm_open` (the kernel's target
 * handler receives it), or the kernel opens one to a target the frontend
 * registered; both sides then exchange `comm_msg` until one sends `comm_close`.
 * The manager knows no sockets: the kernel gives it a `CommTransport` when it starts.
 */

/** Free-form JSON carried by a comm message. */
export type CommData = Record<string, unknown>;

export type CommMessageType = "comm_open" | "comm_msg" | "comm_close";

/** How comm messages leave the kernel (on IOPub). `parent` is the request a message answers, as the transport knows it. */
export interface CommTransport {
  send(type: CommMessageType, content: CommData, parent: unknown): void;
  /** The request the kernel is working on now (a frontend's comm message, else the running cell), or null. */
  currentParent(): unknown;
}

/** One open comm. */
export interface Comm {
  readonly id: string;
  readonly targetName: string;
  /** True once either side closed it. */
  readonly closed: boolean;
  /** Sends `comm_msg`; ignored once closed. */
  send(data: CommData): void;
  /** Sends `comm_close` (once). */
  close(data?: CommData): void;
  /** Called with each `comm_msg` from the frontend. */
  onMessage(handler: (data: CommData) => void): void;
  /** Called once when the frontend closes the comm. */
  onClose(handler: (data: CommData) => void): void;
}

/** Called when a frontend opens a comm to a target the kernel registered. */
export type CommTarget = (comm: Comm, data: CommData) => void;

interface CommState extends Comm {
  closed: boolean;
  messageHandlers: ((data: CommData) => void)[];
  closeHandlers: ((data: CommData) => void)[];
}

export class CommManager {
  private readonly targets = new Map<string, CommTarget>();
  private readonly open = new Map<string, CommState>();
  private transport: CommTransport | null = null;

  /** Set by the kernel once its sockets are up; without one, `openComm` returns null. */
  setTransport(transport: CommTransport | null): void {
    this.transport = transport;
  }

  /** Handles comms the frontend opens to `name` (replacing an earlier handler). */
  registerTarget(name: string, target: CommTarget): void {
    this.targets.set(name, target);
  }

  /** Opens a comm to a target the frontend registered; null outside a kernel. */
  openComm(targetName: string, data: CommData = {}, metadata: CommData = {}): Comm | null {
    const transport = this.transport;
    if (!transport) return null;
    // Every message of a comm the kernel opens answers the request that opened it.
    const parent = transport.currentParent();
    const comm = this.track(randomUUID(), targetName, (type, content) => transport.send(type, content, parent));
    transport.send("comm_open", { comm_id: comm.id, target_name: targetName, data, metadata }, parent);
    return comm;
  }

  /** Open comms, by id, for `comm_info_reply`; only those to `targetName` when it is given. */
  info(targetName?: string): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const comm of this.open.values()) {
      if (targetName === undefined || comm.targetName === targetName) out[comm.id] = { target_name: comm.targetName };
    }
    return out;
  }

  /** Open comms to `targetName`. */
  commsTo(targetName: string): Comm[] {
    return [...this.open.values()].filter((comm) => comm.targetName === targetName);
  }

  /** A frontend's `comm_open`. An unknown target is closed again at once, as the protocol asks. */
  handleOpen(content: CommData): void {
    const id = content.comm_id;
    const targetName = content.target_name;
    if (typeof id !== "string" || typeof targetName !== "string") return;
    const target = this.targets.get(targetName);
    const transport = this.transport;
    if (!target) {
      transport?.send("comm_close", { comm_id: id, data: {} }, transport.currentParent());
      return;
    }
    const comm = this.track(id, targetName, (type, body) => transport?.send(type, body, transport.currentParent()));
    guarded(`the handler of comm target ${JSON.stringify(targetName)}`, () => target(comm, dataOf(content)));
  }

  /** A frontend's `comm_msg`; messages to unknown comms are dropped. */
  handleMessage(content: CommData): void {
    const comm = typeof content.comm_id === "string" ? this.open.get(content.comm_id) : undefined;
    if (!comm) return;
    for (const handler of comm.messageHandlers) guarded(`a message handler of comm ${comm.id}`, () => handler(dataOf(content)));
  }

  /** A frontend's `comm_close`. */
  handleClose(content: CommData): void {
    const comm = typeof content.comm_id === "string" ? this.open.get(content.comm_id) : undefined;
    if (!comm) return;
    comm.closed = true;
    this.open.delete(comm.id);
    for (const handler of comm.closeHandlers) guarded(`a close handler of comm ${comm.id}`, () => handler(dataOf(content)));
  }

  private track(id: string, targetName: string, send: (type: CommMessageType, content: CommData) => void): CommState {
    const open = this.open;
    const comm: CommState = {
      id,
      targetName,
      closed: false,
      messageHandlers: [],
      closeHandlers: [],
      send(data) {
        if (!comm.closed) send("comm_msg", { comm_id: id, data });
      },
      close(data = {}) {
        if (comm.closed) return;
        comm.closed = true;
        open.delete(id);
        send("comm_close", { comm_id: id, data });
      },
      onMessage(handler) {
        comm.messageHandlers.push(handler);
      },
      onClose(handler) {
        comm.closeHandlers.push(handler);
      },
    };
    open.set(id, comm);
    return comm;
  }
}

/** The kernel's comms: one per process, shared by the kernel and the code its cells run. */
export const comms = new CommManager();

function dataOf(content: CommData): CommData {
  const data = content.data;
  return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as CommData) : {};
}

/** A handler's error is reported (in the cell's output, or the kernel's log) and does not break the kernel. */
function guarded(what: string, run: () => void): void {
  try {
    run();
  } catch (error) {
    console.error(`Error in ${what}:`, error);
  }
}
