import Database from 'better-sqlite3';
const db = new Database(':memory:');
db.exec(`CREATE TABLE ohlcv_data (ticker TEXT NOT NULL, timestamp INTEGER NOT NULL, open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL, volume INTEGER NOT NULL, timeframe TEXT NOT NULL DEFAULT '5min', time_of_day TEXT, UNIQUE (ticker, timestamp, timeframe))`);
const sql = process.argv[2];
for (const r of db.prepare('EXPLAIN ' + sql).all({ticker:'',as_of:0})) console.log(r.addr, r.opcode, r.p1, r.p2, r.p3, r.p4, r.p5);
