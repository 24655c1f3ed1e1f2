import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { InventoryEntry } from "./types.js";

/**
 * What lakewarden applied last, per lake and target: how a resource that leaves the configuration is found again
 * to be deleted (after its ownership tag is checked). Losing this file is safe: nothing is deleted then, nothing
 * else changes.
 */
interface InventoryFile {
  version: 1;
  lakes: Record<string, InventoryEntry[]>;
}

export class Inventory {
  private readonly file: string;

  constructor(stateDir: string) {
    this.file = join(stateDir, "inventory.json");
  }

  load(lake: string, target: string): InventoryEntry[] {
    return this.read().lakes[key(lake, target)] ?? [];
  }

  save(lake: string, target: string, entries: InventoryEntry[]): void {
    const data = this.read();
    data.lakes[key(lake, target)] = [...entries].sort((a, b) => a.address.localeCompare(b.address));
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
    renameSync(tmp, this.file); // atomic: a crash leaves the old or the new file, never half of one
  }

  private read(): InventoryFile {
    try {
      const data = JSON.parse(readFileSync(this.file, "utf8")) as InventoryFile;
      return data.version === 1 && data.lakes ? data : { version: 1, lakes: {} };
    } catch {
      return { version: 1, lakes: {} };
    }
  }
}

function key(lake: string, target: string): string {
  return `${lake}@${target}`;
}
