import { randomBytes } from 'node:crypto';
import type { Bus } from '../bus/port';
import { ConflictError, type BinChanges, type BinRecord, type CaptureBin, type Store } from '../store';
import { toWireBin } from '../wire';
import type { SignatureRechecks } from './signatures';

/** A random, unguessable bin id: 128 bits as 22 base64url characters. */
export function randomBinId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Bins: the only writer of bins. Each change is stored, then announced to the live streams of every process
 * (`bin` with the absolute count, or `bin-deleted`).
 */
export class BinService {
  constructor(
    private readonly store: Store, private readonly bus: Bus, private readonly now: () => number = Date.now,
    private readonly rechecks: SignatureRechecks | null = null,
  ) {}

  /** Newest first. */
  list(): Promise<BinRecord[]> {
    return this.store.listBins();
  }

  /** Rejects with NotFoundError. */
  get(id: string): Promise<BinRecord> {
    return this.store.getBin(id);
  }

  /** The bin whose relay URL has this key. Rejects with NotFoundError (also once the key was rotated). */
  byRelayKey(key: string): Promise<BinRecord> {
    return this.store.getBinByRelayKey(key);
  }

  /** What capture needs of the bin (its response, its secrets), or null when there is no such bin. */
  forCapture(id: string): Promise<CaptureBin | null> {
    return this.store.binForCapture(id);
  }

  /** Rejects with ConflictError when the id is taken. */
  async create(id: string, name: string): Promise<BinRecord> {
    const bin = await this.store.createBin(id, name, this.now());
    await this.bus.publish([{ type: 'bin', bin: toWireBin(bin, '') }]);
    return bin;
  }

  /**
   * Rejects with NotFoundError. New signing secrets start a recheck of the bin's stored signature verdicts in the
   * background (SignatureRechecks), announced when done.
   */
  async update(id: string, changes: BinChanges): Promise<BinRecord> {
    const bin = await this.store.updateBin(id, changes);
    await this.bus.publish([{ type: 'bin', bin: toWireBin(bin, '') }]);
    if (changes.signingSecrets !== undefined) this.rechecks?.start(id);
    return bin;
  }

  /** Deletes the bin and its requests. Rejects with NotFoundError. */
  async delete(id: string): Promise<void> {
    await this.store.deleteBin(id);
    await this.bus.publish([{ type: 'bin-deleted', binId: id }]);
  }

  /**
   * Creates a first bin when the database has none, so that there is always a capture URL to copy; several
   * processes starting at once on one database create one between them. Resolves with the newest bin.
   */
  async ensureOne(): Promise<BinRecord> {
    const [newest] = await this.store.listBins();
    if (newest) return newest;
    // The first to note an id creates the bin; the others create the same one (a conflict then means it is there).
    const id = await this.store.setSettingIfAbsent('first_bin', randomBinId());
    try {
      return await this.create(id, 'My first bin');
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      return this.store.getBin(id);
    }
  }
}
