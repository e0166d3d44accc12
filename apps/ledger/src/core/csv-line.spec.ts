import { csvCell, csvLine } from './csv-line';

describe('CSV cells the service writes', () => {
  it.each(['=HYPERLINK("http://x","y")', '+cmd|calc', '-2+3', '@SUM(A1)', '\tx', '\r=1'])('neutralises %j as text', (cell) => {
    expect(csvCell(cell).replace(/^"|"$/g, '').replace(/""/g, '"').startsWith(`'${cell}`)).toBe(true);
  });

  it.each(['+14155550100', '+442071838750', '-1', '+3', '42', '1.5', '-2.5e3', 'acme', 'error: x=1', ''])('keeps %j as it is', (cell) => {
    expect(csvCell(cell)).toBe(cell);
  });

  it('quotes after neutralising', () => {
    expect(csvLine(['=1,2', 'a"b', null, { a: 1 }])).toBe(`"'=1,2","a""b",,"{""a"":1}"\n`);
  });
});
