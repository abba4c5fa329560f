import Database from 'better-sqlite3';
import { expect } from 'chai';
import { migrate, type Migration } from '../../../src/results/schema-version.js';

/** Three migrations that record which of them ran. */
function makeMigrations(ran: number[], failAt?: number): Migration[] {
  return [1, 2, 3].map((version) => ({
    version,
    describe: `table t${version}`,
    up: (db: Database.Database) => {
      ran.push(version);
      db.exec(`CREATE TABLE t${version} (x)`);
      if (version === failAt) throw new Error(`migration ${version} failed`);
    },
  }));
}

const tables = (db: Database.Database) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();

describe('results schema versions', () => {
  it('a new database gets every migration, in order, and the last version', () => {
    const db = new Database(':memory:');
    const ran: number[] = [];
    migrate(db, makeMigrations(ran));
    expect(ran).to.deep.equal([1, 2, 3]);
    expect(db.pragma('user_version', { simple: true })).to.equal(3);
  });

  it('a database at a version gets only the migrations after it, and none when it is current', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t1 (x)');
    db.pragma('user_version = 1');
    const ran: number[] = [];
    migrate(db, makeMigrations(ran));
    expect(ran).to.deep.equal([2, 3]);
    migrate(db, makeMigrations(ran));
    expect(ran).to.deep.equal([2, 3]);
    expect(tables(db)).to.deep.equal(['t1', 't2', 't3']);
  });

  it('a migration that fails leaves the database as it was: no table added, the version unchanged', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, makeMigrations([], 2))).to.throw('migration 2 failed');
    expect(tables(db)).to.deep.equal([]);
    expect(db.pragma('user_version', { simple: true })).to.equal(0);
  });
});
