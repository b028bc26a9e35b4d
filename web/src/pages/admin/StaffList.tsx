import {
  type ActionType,
  type ProColumns,
  ProFormCheckbox,
  ProFormText,
  ProTable,
} from '@ant-design/pro-components';
import { Tag } from 'antd';
import { useRef } from 'react';
import { createStaff, type NewStaff, type StaffAccount, staffAccounts } from '../../api/admin';
import { ROLE_LABELS, type Role } from '../../api/auth';
import { CreateForm } from './CreateForm';

const roleLabel = (role: string) => ROLE_LABELS[role as Role] ?? role;

const columns: ProColumns<StaffAccount>[] = [
  { title: '编号', dataIndex: 'id', width: 72 },
  { title: '用户名', dataIndex: 'username' },
  { title: '显示名', dataIndex: 'displayName' },
  {
    title: '角色',
    dataIndex: 'roles',
    render: (_, row) => row.roles.map((role) => <Tag key={role}>{roleLabel(role)}</Tag>),
  },
  {
    title: '状态',
    dataIndex: 'disabled',
    width: 88,
    render: (_, row) => (row.disabled ? <Tag color="red">已停用</Tag> : <Tag color="green">正常</Tag>),
  },
];

/** 员工账号: every account with its roles; an admin creates one with roles chosen by name. */
export default function StaffList() {
  const table = useRef<ActionType>(null);
  return (
    <ProTable<StaffAccount>
      rowKey="id"
      headerTitle="员工账号"
      actionRef={table}
      columns={columns}
      search={false}
      options={{ density: false, setting: false }}
      pagination={{ pageSize: 20, showSizeChanger: false }}
      request={async () => ({ data: (await staffAccounts()).staff, success: true })}
      toolBarRender={() => [
        <CreateForm<NewStaff>
          key="create"
          title="新建账号"
          done="账号已创建"
          send={createStaff}
          onDone={() => table.current?.reload()}
        >
          <ProFormText name="username" label="用户名" rules={[{ required: true }]} />
          <ProFormText.Password name="password" label="密码" rules={[{ required: true }]} />
          <ProFormText name="display_name" label="显示名" />
          <ProFormCheckbox.Group
            name="roles"
            label="角色"
            rules={[{ required: true, message: '请至少选择一个角色' }]}
            options={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </CreateForm>,
      ]}
    />
  );
}
