import { StoreUnavailableError } from '../store/port';
import { isPostgresUrl, scrubber, withoutPassword } from '../store/url';

const USAGE = 'usage: hooklens migrate --from <sqlite file> --to <postgres://user:pass@host:port/db>';

/**
 * `hooklens migrate --from <sqlite file> --to <postgres url>`: argument parsing only. Resolves with the exit code:
 * 0 done, 2 bad arguments, 1 the copy failed (it can be re-run and resumes).
 */
export async function runMigrateCommand(argv: readonly string[]): Promise<number> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--help' || flag === '-h') {
      console.log(`${USAGE}\n\nCopies bins, requests (keeping their ids), signing secrets and settings from an embedded SQLite\n` +
        'database into PostgreSQL. It can be re-run: it copies only what is missing and resumes where it stopped.');
      return 0;
    }
    if (flag !== '--from' && flag !== '--to') return usage(`unknown argument ${JSON.stringify(argv[i])}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') return usage(`${flag} needs a value`);
    args.set(flag, value);
  }
  const from = args.get('--from');
  const to = args.get('--to');
  if (from === undefined || to === undefined) return usage('both --from and --to are needed');
  if (!isPostgresUrl(to)) return usage(`--to must be a postgres:// URL, not ${JSON.stringify(withoutPassword(to))}`);
  try {
    const { migrateSqliteToPostgres } = await import('./migrate');
    await migrateSqliteToPostgres(from, to, (line: string) => console.log(line));
    return 0;
  } catch (err) {
    const reason = scrubber(to)(err instanceof Error ? err.message : String(err));
    // Only a copy cut short by the database going away is worth running again as it is.
    console.error(`hooklens migrate: ${reason}${err instanceof StoreUnavailableError ? ' (run it again to resume)' : ''}`);
    return 1;
  }
}

function usage(problem: string): number {
  console.error(`hooklens migrate: ${problem}\n${USAGE}`);
  return 2;
}
