import { DataFileError, detectFormat, loadDataset } from '../../src/datasets';
import { ValidationError } from '../../src/core/errors';
import { folder, uItemLine } from './fixtures';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
function make(files: Record<string, string | Buffer>): string {
  const { dir, cleanup } = folder(files);
  cleanups.push(cleanup);
  return dir;
}

/** Expects `fn` to throw a DataFileError for this file and line. */
function expectFileError(fn: () => unknown, file: string, line: number): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(DataFileError);
  expect(thrown).toBeInstanceOf(ValidationError);
  const err = thrown as DataFileError;
  expect([err.file, err.line]).toEqual([file, line]);
  expect(err.message).toContain(line ? `${file}, line ${line}` : file);
}

describe('MovieLens 100K', () => {
  const dir = make({
    'u.data': '1\t10\t5\t881250949\n2\t10\t3\t881250950\n1\t20\t4\t881250951\n',
    // latin1: "Café" is one byte 0xE9 for é, which UTF-8 decoding would mangle.
    'u.item': Buffer.from(`${uItemLine(10, 'Café (1995)', [5, 8])}\n${uItemLine(20, 'Heat (1995)', [1])}\n`, 'latin1'),
    'u.user': '1|24|M|technician|85711\n2|53|F|other|94043\n',
  });

  it('reads ratings, titles with genres, and user attributes', () => {
    expect(detectFormat(dir)).toBe('ml-100k');
    const data = loadDataset(dir);
    expect(data.interactions).toEqual([
      { user: '1', item: '10', weight: 5, time: 881250949000 },
      { user: '2', item: '10', weight: 3, time: 881250950000 },
      { user: '1', item: '20', weight: 4, time: 881250951000 },
    ]);
    expect(data.items).toEqual([
      { id: '10', text: 'Café (1995)', categories: ['Comedy', 'Drama'] },
      { id: '20', text: 'Heat (1995)', categories: ['Action'] },
    ]);
    expect(data.users?.get('2')).toEqual({ age: '53', age_group: '50-55', gender: 'F', occupation: 'other', zip: '94043' });
  });

  it('names the file and line of a short or non-numeric row', () => {
    const short = make({ 'u.data': '1\t10\t5\t881250949\n\n2\t10\n' });
    expectFileError(() => loadDataset(short), 'u.data', 3);
    const text = make({ 'u.data': '1\t10\tfive\t881250949\n' });
    expectFileError(() => loadDataset(text), 'u.data', 1);
    const badItem = make({ 'u.data': '1\t10\t5\t1\n', 'u.item': '10|Heat|x\n' });
    expectFileError(() => loadDataset(badItem), 'u.item', 1);
  });
});

describe('MovieLens CSV', () => {
  const dir = make({
    'ratings.csv': 'userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,3,4.5,964981247\r\n',
    'movies.csv':
      'movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n3,"Heat, The ""Remake"" (1995)",Action|Crime\n4,Nothing (2000),(no genres listed)\n',
  });

  it('reads ratings with a header and quoted titles', () => {
    expect(detectFormat(dir)).toBe('ml-csv');
    const data = loadDataset(dir);
    expect(data.interactions).toEqual([
      { user: '1', item: '1', weight: 4, time: 964982703000 },
      { user: '1', item: '3', weight: 4.5, time: 964981247000 },
    ]);
    expect(data.items).toEqual([
      { id: '1', text: 'Toy Story (1995)', categories: ['Adventure', 'Animation'] },
      { id: '3', text: 'Heat, The "Remake" (1995)', categories: ['Action', 'Crime'] },
      { id: '4', text: 'Nothing (2000)', categories: [] },
    ]);
  });

  it('names the file and line of an unterminated quote', () => {
    const bad = make({ 'ratings.csv': '1,1,4,1\n', 'movies.csv': 'movieId,title,genres\n1,"Open,Drama\n' });
    expectFileError(() => loadDataset(bad, 'ml-csv'), 'movies.csv', 2);
  });
});

describe('Last.fm HetRec', () => {
  const dir = make({
    'user_artists.dat': 'userID\tartistID\tweight\n2\t51\t13883\n2\t52\t11690\n',
    'artists.dat': 'id\tname\turl\tpictureURL\n51\tDuran Duran\thttp://x\thttp://y\n',
  });

  it('reads play counts as weights and artist names as text', () => {
    expect(detectFormat(dir)).toBe('lastfm');
    const data = loadDataset(dir);
    expect(data.interactions).toEqual([
      { user: '2', item: '51', weight: 13883, time: 0 },
      { user: '2', item: '52', weight: 11690, time: 0 },
    ]);
    expect(data.items).toEqual([{ id: '51', text: 'Duran Duran' }]);
  });

  it('names the file and line of a bad weight', () => {
    const bad = make({ 'user_artists.dat': 'userID\tartistID\tweight\n2\t51\tlots\n' });
    expectFileError(() => loadDataset(bad), 'user_artists.dat', 2);
  });
});

describe('generic CSV', () => {
  it('reads user,item with optional weight and timestamp, with or without a header', () => {
    const dir = make({ 'events.csv': 'user,item,weight,timestamp\nu1,i1,2,1700000000\nu2,i2,,2024-01-02T00:00:00Z\nu3,i3\n' });
    expect(detectFormat(dir)).toBe('csv');
    expect(loadDataset(dir).interactions).toEqual([
      { user: 'u1', item: 'i1', weight: 2, time: 1700000000000 },
      { user: 'u2', item: 'i2', weight: 1, time: Date.parse('2024-01-02T00:00:00Z') },
      { user: 'u3', item: 'i3', weight: 1, time: 0 },
    ]);
    const bare = make({ 'x.csv': 'a,b,1,1700000000123\n' });
    expect(loadDataset(bare).interactions).toEqual([{ user: 'a', item: 'b', weight: 1, time: 1700000000123 }]);
  });

  it('accepts the path of the CSV file itself', () => {
    const dir = make({ 'log.csv': 'u,i\n' });
    expect(loadDataset(`${dir}/log.csv`).interactions).toHaveLength(1);
  });

  it('names the file and line of a missing item or a bad timestamp', () => {
    expectFileError(() => loadDataset(make({ 'a.csv': 'u1,i1\nu2\n' })), 'a.csv', 2);
    expectFileError(() => loadDataset(make({ 'b.csv': 'u1,i1,1,1\nu2,i2,1,yesterday\n' })), 'b.csv', 2);
  });
});

describe('format detection', () => {
  it('fails clearly on a folder it cannot read and on a missing one', () => {
    const empty = make({ 'notes.txt': 'hello' });
    expect(() => detectFormat(empty)).toThrow(/cannot tell the format/);
    expectFileError(() => loadDataset(`${empty}/nope`), 'nope', 0);
  });
});
