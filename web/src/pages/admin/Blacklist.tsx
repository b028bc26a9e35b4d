import {
  type ActionType,
  type ProColumns,
  ProFormText,
  ProFormTextArea,
  ProTable,
} from '@ant-design/pro-components';
import { useRef } from 'react';
import { addToBlacklist, type BlacklistEntry, blacklist, type NewBlacklistEntry } from '../../api/admin';
import { CreateForm } from './CreateForm';

const columns: ProColumns<BlacklistEntry>[] = [
  { title: '编号', dataIndex: 'id', width: 72 },
  { title: '原因', dataIndex: 'reason' },
  { title: '加入时间', dataIndex: 'created_at', width: 180 },
];

/**
 * 黑名单: people the gateway refuses (403). They are kept as hashes of the ID number (and of the
 * marketplace's md5 with the mobile), so the list shows only why and when.
 */
export default function Blacklist() {
  const table = useRef<ActionType>(null);
  return (
    <ProTable<BlacklistEntry>
      rowKey="id"
      headerTitle="黑名单"
      actionRef={table}
      columns={columns}
      search={false}
      options={{ density: false, setting: false }}
      pagination={{ pageSize: 20, showSizeChanger: false }}
      request={async () => ({ data: (await blacklist()).entries, success: true })}
      toolBarRender={() => [
        <CreateForm<NewBlacklistEntry>
          key="add"
          title="加入黑名单"
          done="已加入黑名单"
          send={addToBlacklist}
          onDone={() => table.current?.reload()}
        >
          <ProFormText name="id_card" label="身份证号" />
          <ProFormText
            name="mobile"
            label="手机号"
            tooltip="填写后也能识别平台以手机号和身份证号md5查询的人"
          />
          <ProFormTextArea name="reason" label="原因" />
        </CreateForm>,
      ]}
    />
  );
}
