import { describe, expect, it } from 'vitest';
import { passwordsOf, withoutPassword } from '../server/store/url';

describe('withoutPassword', () => {
  it.each([
    ['postgres://hooklens:s3cret@db:5432/hooklens', 'postgres://hooklens:***@db:5432/hooklens'],
    ['postgres://u:p@ss@h/db', 'postgres://u:***@h/db'],
    ['postgres://u:p#ss/w@h/db', 'postgres://u:***@h/db'],
    ['postgres://u@h/db?password=secret&sslmode=require', 'postgres://u@h/db?password=***&sslmode=require'],
    ['postgresql://u:pw@h/db?sslmode=require&PASSWORD=x', 'postgresql://u:***@h/db?sslmode=require&PASSWORD=***'],
    ['postgres://h/db', 'postgres://h/db'],
    ['./data/hooklens.db', './data/hooklens.db'],
  ])('prints %s as %s', (url, shown) => {
    expect(withoutPassword(url)).toBe(shown);
  });
});

describe('passwordsOf', () => {
  it('finds the password wherever the driver would take it from, as written and decoded', () => {
    expect(passwordsOf('postgres://u:p%40ss@h/db')).toEqual(expect.arrayContaining(['p%40ss', 'p@ss']));
    expect(passwordsOf('postgres://u:p@ss@h/db')).toContain('p@ss');
    expect(passwordsOf('postgres://u@h/db?password=secret')).toEqual(['secret']);
    expect(passwordsOf('postgres://h/db')).toEqual([]);
  });
});
