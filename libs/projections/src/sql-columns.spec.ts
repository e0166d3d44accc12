import { columnsFrom, selectColumns, textColumn } from './sql-columns';

describe('batch rows sent as columns', () => {
  it('writes array literals that quote every element and escape quotes and backslashes', () => {
    expect(textColumn(['a', 'say "hi"', 'back\\slash', null, undefined, true, false, 3, new Date(0)])).toBe(
      '{"a","say \\"hi\\"","back\\\\slash",NULL,NULL,"t","f","3","1970-01-01T00:00:00.000Z"}',
    );
    expect(textColumn([])).toBe('{}');
  });

  it('zips scalar and JSON columns with ROWS FROM, JSON null read as SQL NULL', () => {
    const columns = [{ name: 'number', type: 'text' }, { name: 'doc', type: 'jsonb' }];
    const from = columnsFrom(columns, [['+1', '+2'], [{ a: 1 }, null]], 3);
    expect(from.sql).toBe('ROWS FROM (unnest($3::text[]), jsonb_array_elements($4::jsonb)) AS x(number, doc)');
    expect(from.params).toEqual(['{"+1","+2"}', '[{"a":1},null]']);
    expect(selectColumns(columns)).toBe(`x.number, NULLIF(x.doc, 'null'::jsonb)`);
  });
});
