import { render, screen } from '@testing-library/react';
import ExportButton, { exportUrl } from './ExportButton';

describe('ExportButton', () => {
  it("puts the list's filters in the export's query string, leaving out empty ones", () => {
    expect(
      exportUrl('/api/loan-orders/export.csv', {
        stage: 'mianqian',
        customer_name: '张三',
        city_key: '',
        is_bohui: undefined,
        page_num: null,
      }),
    ).toBe('/api/loan-orders/export.csv?stage=mianqian&customer_name=%E5%BC%A0%E4%B8%89');
    expect(exportUrl('/api/leases/export.csv')).toBe('/api/leases/export.csv');
  });

  it('is a download link to that address', () => {
    render(<ExportButton path="/api/partner-callbacks/export.csv" query={{ status: 'dead' }} />);
    const link = screen.getByRole('link', { name: /导出CSV/ });
    expect(link).toHaveAttribute('href', '/api/partner-callbacks/export.csv?status=dead');
    expect(link).toHaveAttribute('download');
  });
});
