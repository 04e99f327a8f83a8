import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { checkOutFile, writeOutFile } from "../../cli/out-file.js";
import { ValueError } from "../../core/errors.js";
import { snapshot } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "tunebook-out-file-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function refuses(run: () => unknown, message: RegExp): void {
  const before = snapshot(dir);
  assert.throws(run, (error: unknown) => error instanceof ValueError && message.test(error.message));
  assert.deepEqual(snapshot(dir), before);
}

describe("--out", () => {
  it("takes a new file in an existing folder, and an existing text file", () => {
    const path = join(dir, "trials.csv");
    checkOutFile(path, "trials.csv");
    writeOutFile(path, "a\n");
    checkOutFile(path, "trials.csv");
    writeOutFile(path, "b\n");
    assert.equal(readFileSync(path, "utf8"), "b\n");
  });

  it("refuses a folder, a missing folder, a file used as a folder and a database, naming the path", () => {
    mkdirSync(join(dir, "folder"));
    writeFileSync(join(dir, "file.txt"), "text");
    writeFileSync(join(dir, "tunebook.db"), Buffer.concat([Buffer.from("SQLite format 3\0", "latin1"), Buffer.alloc(84)]));
    refuses(
      () => checkOutFile(join(dir, "folder"), "trials.csv"),
      /"\S+folder" is a folder; give a file path such as "\S+folder\/trials\.csv"/,
    );
    refuses(() => checkOutFile(join(dir, "nope", "x.csv"), "trials.csv"), /the folder "\S+nope" does not exist; create it first/);
    refuses(() => checkOutFile(join(dir, "file.txt", "x.csv"), "trials.csv"), /"\S+file\.txt" is a file, not a folder/);
    refuses(
      () => checkOutFile(join(dir, "tunebook.db"), "trials.csv"),
      /"\S+tunebook\.db" is an SQLite database; exporting would overwrite it/,
    );
    refuses(() => writeOutFile(join(dir, "folder"), "x"), /--out "\S+folder": cannot write it \(EISDIR/);
  });
});
