import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import * as api from '../../api/parking';
import ParkConfigurationView from './ParkConfigurationView';

vi.mock('../../api/parking', async (original) => ({
  ...(await original<typeof import('../../api/parking')>()),
  parkConfiguration: vi.fn(),
}));

const configured: api.ParkConfiguration = {
  id: 'EAST01',
  name: '东区停车场',
  created_at: '2026-11-30 10:00:00',
  orgs: [
    {
      name: '理学院',
      org_code: '201',
      is_used: 0,
      children: [{ name: '数学系', org_code: '201001', is_used: 0 }],
    },
  ],
  extras: [
    { name: '驾驶证', code: '0', type: '1', required: 1 },
    { name: '备注', code: '9', type: '0', required: 0 },
  ],
  products: [
    {
      id: 'p'.repeat(32),
      name: '包月',
      unit_type: '4',
      unit_count: 1,
      audit_before_pay: 1,
      active: 1,
      version: {
        id: 'v'.repeat(32),
        inside_price: '120.00',
        outside_price: '240.00',
        created_at: '2026-11-30 10:00:01',
      },
    },
  ],
};

describe('ParkConfigurationView', () => {
  it("shows the park's org tree, extra items and each product at its current prices, and reads again after a change", async () => {
    const read = vi.mocked(api.parkConfiguration).mockResolvedValue(configured);
    const { rerender } = render(<ParkConfigurationView parkId="EAST01" version={0} />);
    expect(await screen.findByText('理学院（201）')).toBeInTheDocument();
    expect(screen.getByText('数学系（201001）')).toBeInTheDocument();
    expect(screen.getByText('驾驶证（0，图片，必填）')).toBeInTheDocument();
    expect(screen.getByText('备注（9，文本）')).toBeInTheDocument();
    expect(screen.getByText('120.00 / 240.00')).toBeInTheDocument();
    expect(screen.getByText('1 月')).toBeInTheDocument();
    expect(read).toHaveBeenCalledTimes(1);
    rerender(<ParkConfigurationView parkId="EAST01" version={1} />);
    await vi.waitFor(() => expect(read).toHaveBeenCalledTimes(2));
  });
});
