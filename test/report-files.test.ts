// packing_completed.xlsx holds text that came from the shop's export (order numbers, couriers, any
// metadata column, worker names): none of it may reach the shift lead's spreadsheet as a formula.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { completedWorkbook } from '../src/store/report-files.js';

describe('packing_completed.xlsx', () => {
  it('writes formula-looking text as text, with the apostrophe spreadsheets use for it', async () => {
    const data = await completedWorkbook([
      {
        order_number: '=HYPERLINK("http://evil.example")',
        courier: '+DHL',
        status: 'Completed',
        items_packed: 2,
        items_required: 2,
        completed_at: '2026-12-02T10:00:00.000Z',
        worker: '@anna',
        metadata: { '=note': '-2+3', Country: 'DE', Weight: 1.5 },
      },
    ]);
    const workbook = new ExcelJS.Workbook();
    // exceljs types want an ArrayBuffer-backed Buffer; a copy gives one.
    await workbook.xlsx.load(new Uint8Array(data).buffer);
    const cells: unknown[] = [];
    workbook.worksheets[0]!.eachRow((row) => row.eachCell((cell) => cells.push(cell.value)));
    for (const cell of cells) if (typeof cell === 'string') expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(cells).toEqual(
      expect.arrayContaining([
        `'=HYPERLINK("http://evil.example")`,
        "'+DHL",
        "'@anna",
        "'=note",
        "'-2+3",
        'DE',
        1.5,
        2,
      ]),
    );
  });
});
