import { ProCard } from '@ant-design/pro-components';
import { Table } from 'antd';
import { type EscrowParty, PARTY_DECISION_LABELS } from '../../api/escrow';
import CodeTag from '../../components/CodeTag';
import { PARTY_DECISION_COLORS } from './tags';

/**
 * Who the invitation is between and where each acceptance stands: a checker deciding on a
 * release wants to know both signed. ID numbers and mobiles come masked from the server and are
 * shown as they come, never completed or re-masked here.
 */
export default function PartiesCard({ parties }: { parties: EscrowParty[] }) {
  return (
    <ProCard title="交易双方">
      <Table<EscrowParty>
        size="small"
        // A party has no id of its own on the wire; the server's order (buyers, then landlords) is stable.
        rowKey={(party) => `${party.role}:${parties.indexOf(party)}`}
        pagination={false}
        dataSource={parties}
        columns={[
          { title: '角色', dataIndex: 'role_label', width: 64 },
          { title: '姓名', dataIndex: 'name', width: 120 },
          { title: '身份证号', dataIndex: 'id_card_masked', width: 200 },
          { title: '手机号', dataIndex: 'phone_masked', width: 130 },
          {
            title: '应约',
            dataIndex: 'decision',
            width: 90,
            render: (decision: string) => (
              <CodeTag code={decision} labels={PARTY_DECISION_LABELS} colors={PARTY_DECISION_COLORS} />
            ),
          },
          {
            title: '应约时间',
            dataIndex: 'decided_at',
            width: 170,
            render: (at: string | null) => at ?? '—',
          },
          { title: '拒绝原因', dataIndex: 'decline_reason', render: (reason: string | null) => reason ?? '' },
        ]}
      />
    </ProCard>
  );
}
