import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { EscrowParty } from '../../api/escrow';
import PartiesCard from './PartiesCard';

/** As GET /api/escrow-orders/:house_order_no answers them: masked by the server. */
const PARTIES: EscrowParty[] = [
  {
    role: 'buyer',
    role_label: '买方',
    name: '张三',
    id_card_masked: '110101********1234',
    phone_masked: '138****0301',
    decision: 'accepted',
    decided_at: '2026-11-30 10:00:00',
    decline_reason: null,
  },
  {
    role: 'landlord',
    role_label: '房东',
    name: '李四',
    id_card_masked: '110102********5678',
    phone_masked: '138****0302',
    decision: 'declined',
    decided_at: '2026-11-30 11:30:00',
    decline_reason: '价格有变',
  },
  {
    role: 'landlord',
    role_label: '房东',
    name: '王五',
    id_card_masked: '110103********9012',
    phone_masked: '138****0303',
    decision: 'pending',
    decided_at: null,
    decline_reason: null,
  },
];

const row = (name: string) => screen.getByText(name).closest('tr') as HTMLElement;

describe('the parties card', { timeout: 20_000 }, () => {
  it('shows each party with their role, masked ID and mobile as the server sent them', () => {
    render(<PartiesCard parties={PARTIES} />);
    expect(screen.getByText('交易双方')).toBeInTheDocument();
    for (const title of ['角色', '姓名', '身份证号', '手机号', '应约', '应约时间', '拒绝原因'])
      expect(screen.getByRole('columnheader', { name: title })).toBeInTheDocument();
    const buyer = within(row('张三'));
    expect(buyer.getByText('买方')).toBeInTheDocument();
    expect(buyer.getByText('110101********1234')).toBeInTheDocument();
    expect(buyer.getByText('138****0301')).toBeInTheDocument();
  });

  it('tags each decision in colour, with its time and a refusal’s reason', () => {
    render(<PartiesCard parties={PARTIES} />);
    const accepted = within(row('张三')).getByText('已接受');
    expect(accepted).toHaveClass('ant-tag-success');
    expect(within(row('张三')).getByText('2026-11-30 10:00:00')).toBeInTheDocument();

    const declined = within(row('李四'));
    expect(declined.getByText('已拒绝')).toHaveClass('ant-tag-error');
    expect(declined.getByText('2026-11-30 11:30:00')).toBeInTheDocument();
    expect(declined.getByText('价格有变')).toBeInTheDocument();

    const pending = within(row('王五'));
    expect(pending.getByText('待应约')).toHaveClass('ant-tag-processing');
    expect(pending.getByText('—')).toBeInTheDocument();
  });
});
