import { deriveColumns } from '../store/derive';
import {
  StoreUnavailableError, type BinChanges, type BinRecord, type CaptureBin, type FullRequestRecord, type NewRequest, type PageQuery,
  type RequestRecord, type RequestRecordPage, type Store, type StoreOptions, type StoredRequest,
} from '../store';
import type { WriterLink } from './link';
import type { StoreCall, Stored, VersionedBin } from './protocol';

/**
 * The store of a server process of `--workers` on SQLite: every call is the writer's store's, asked over the link.
 * Captures are derived here, with the bin's secrets as the writer last told them (kept until it says the bin
 * changed), so that this work spreads over the processes, and the writer does the database's.
 */
export class RemoteStore implements Store {
  readonly engine = 'sqlite';
  private open = true;
  /** What capture knows of each bin it captured for, until the writer says the bin changed. */
  private readonly bins = new Map<string, Promise<VersionedBin>>();

  constructor(private readonly link: WriterLink, private readonly options: StoreOptions) {
    link.onBinChanged = (binId) => this.bins.delete(binId);
  }

  private call<T>(method: StoreCall, ...args: unknown[]): Promise<T> {
    if (!this.open) return Promise.reject(new StoreUnavailableError('the store is closed'));
    return this.link.ask<T>({ type: 'call', method, args });
  }

  private captureBin(binId: string): Promise<VersionedBin> {
    if (!this.open) return Promise.reject(new StoreUnavailableError('the store is closed'));
    let known = this.bins.get(binId);
    if (!known) {
      known = this.link.ask<VersionedBin>({ type: 'capture-bin', binId });
      this.bins.set(binId, known);
      // Only bins that exist are kept: a bin another process creates is found at once.
      known.then((answer) => answer.bin === null && this.bins.get(binId) === known && this.bins.delete(binId),
        () => this.bins.get(binId) === known && this.bins.delete(binId));
    }
    return known;
  }

  async binForCapture(id: string): Promise<CaptureBin | null> {
    return (await this.captureBin(id)).bin;
  }

  async hasBin(id: string): Promise<boolean> {
    return (await this.binForCapture(id)) !== null;
  }

  async insertRequests(requests: readonly NewRequest[], maxRequests: number): Promise<(StoredRequest | Error)[]> {
    const bins = await Promise.all(requests.map((request) => this.captureBin(request.binId)));
    const { redactSecrets, publicUrl = null } = this.options;
    const derived = requests.map((request, i) => deriveColumns(request, { redactSecrets, secrets: bins[i].bin?.signingSecrets ?? {}, publicUrl }));
    const results = await this.link.ask<(Stored | Error)[]>({
      type: 'insert', requests: derived, secretsVersions: bins.map(({ version }) => version), maxRequests,
    });
    return results.map((result, i) => {
      if (result instanceof Error) return result;
      // The stored record, as every store answers it: without the body.
      const { deliveryKey: _key, body: _body, ...record } = derived[i];
      return Object.assign(record, result);
    });
  }

  async createBin(id: string, name: string, now: number, relayKey?: string): Promise<BinRecord> {
    const bin = await this.call<BinRecord>('createBin', id, name, now, relayKey);
    this.bins.delete(id);
    return bin;
  }

  async updateBin(id: string, changes: BinChanges): Promise<BinRecord> {
    const bin = await this.call<BinRecord>('updateBin', id, changes);
    this.bins.delete(id);
    return bin;
  }

  async deleteBin(id: string): Promise<void> {
    await this.call('deleteBin', id);
    this.bins.delete(id);
  }

  getBin = (id: string) => this.call<BinRecord>('getBin', id);
  getBinByRelayKey = (key: string) => this.call<BinRecord>('getBinByRelayKey', key);
  listBins = () => this.call<BinRecord[]>('listBins');
  listRequests = (binId: string, page: PageQuery) => this.call<RequestRecordPage>('listRequests', binId, page);
  requestsAfter = (binId: string, after: number, limit: number) => this.call<RequestRecord[]>('requestsAfter', binId, after, limit);
  lastRequestId = (binId: string) => this.call<number>('lastRequestId', binId);
  getRequest = (binId: string, id: number) => this.call<FullRequestRecord>('getRequest', binId, id);
  binsToRecheck = () => this.call<{ binId: string; version: number }[]>('binsToRecheck');
  recheckSignatures = (binId: string, afterId: number, limit: number) =>
    this.call<{ lastId: number | null; version: number }>('recheckSignatures', binId, afterId, limit);
  markRechecked = (binId: string, version: number) => this.call<void>('markRechecked', binId, version);
  getRequests = (binId: string, ids: readonly number[]) => this.call<FullRequestRecord[]>('getRequests', binId, ids);
  countRequests = () => this.call<number>('countRequests');
  storedBytes = () => this.call<number>('storedBytes');
  deleteOldest = (bytes: number) => this.call<{ binId: string; id: number }[]>('deleteOldest', bytes);
  deleteRequest = (binId: string, id: number) => this.call<void>('deleteRequest', binId, id);
  clearBin = (binId: string) => this.call<number>('clearBin', binId);
  deleteReceivedBefore = (cutoff: number) => this.call<{ binId: string; id: number }[]>('deleteReceivedBefore', cutoff);
  claimSweep = (now: number, everyMs: number) => this.call<boolean>('claimSweep', now, everyMs);
  getSetting = (key: string) => this.call<string | null>('getSetting', key);
  setSetting = (key: string, value: string) => this.call<void>('setSetting', key, value);
  setSettingIfAbsent = (key: string, value: string) => this.call<string>('setSettingIfAbsent', key, value);
  recordFailure = (key: string, now: number, windowMs: number) => this.call<number>('recordFailure', key, now, windowMs);
  failureCount = (key: string, now: number, windowMs: number) => this.call<number>('failureCount', key, now, windowMs);
  revokeSession = (digest: string, expiresAt: number, now: number) => this.call<void>('revokeSession', digest, expiresAt, now);
  isSessionRevoked = (digest: string) => this.call<boolean>('isSessionRevoked', digest);
  backupTo = (file: string) => this.call<void>('backupTo', file);
  ping = () => this.call<void>('ping');

  /** This process stops asking; the writer's database stays open for the others (the writer closes it). */
  async close(): Promise<void> {
    this.open = false;
  }

  isOpen(): boolean {
    return this.open;
  }
}
