import {
  type ActionType,
  type ProColumns,
  ProFormCheckbox,
  ProFormText,
  ProTable,
} from '@ant-design/pro-components';
import { App, Button, Popconfirm, Space, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import {
  createStaff,
  type NewStaff,
  STAFF_EXPORT_PATH,
  type StaffAccount,
  type StaffChange,
  staffAccounts,
  updateStaff,
} from '../../api/admin';
import { ROLE_LABELS, type Role } from '../../api/auth';
import ExportButton from '../../components/ExportButton';
import { CreateForm } from './CreateForm';

const roleLabel = (role: string) => ROLE_LABELS[role as Role] ?? role;

/** The roles picked by their Chinese names, the same in 新建账号 and 编辑. */
function RolesField() {
  return (
    <ProFormCheckbox.Group
      name="roles"
      label="角色"
      rules={[{ required: true, message: '请至少选择一个角色' }]}
      options={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))}
    />
  );
}

interface RowActionsProps {
  account: StaffAccount;
  /** After a change the server accepted. */
  onDone: () => void;
}

/**
 * A row's 编辑 and 停用/启用. The server's refusal of a 停用 (不能停用自己的账号) is said under the
 * row's buttons, where the admin acted: a message above a long list would be out of sight.
 */
function RowActions({ account, onDone }: RowActionsProps) {
  const { message } = App.useApp();
  const [refusal, setRefusal] = useState<string>();
  const disable = !account.disabled;
  const toggle = async () => {
    setRefusal(undefined);
    try {
      await updateStaff(account.id, { disabled: disable ? 1 : 0 });
    } catch (error) {
      setRefusal(error instanceof Error ? error.message : String(error));
      return;
    }
    message.success(disable ? '账号已停用' : '账号已启用');
    onDone();
  };
  return (
    <Space direction="vertical" size={0}>
      <Space size={0}>
        <CreateForm<StaffChange>
          // A new form per version of the row: a kept form would reopen with the values it was
          // first given, not the account as the list now shows it.
          key={`${account.displayName}|${account.roles.join(',')}`}
          title="编辑账号"
          trigger={
            <Button type="link" size="small">
              编辑
            </Button>
          }
          done="账号已保存"
          send={(change) => updateStaff(account.id, change)}
          onDone={onDone}
          initialValues={{ display_name: account.displayName, roles: account.roles }}
        >
          <ProFormText name="display_name" label="显示名" rules={[{ required: true }]} />
          <RolesField />
        </CreateForm>
        <Popconfirm
          title={disable ? `停用账号 ${account.username}？` : `启用账号 ${account.username}？`}
          description={disable ? '停用后该账号立即退出，且不能再登录' : '启用后该账号可再次登录'}
          okText={disable ? '停用' : '启用'}
          cancelText="取消"
          onConfirm={toggle}
        >
          <Button type="link" size="small" danger={disable}>
            {disable ? '停用' : '启用'}
          </Button>
        </Popconfirm>
      </Space>
      {refusal && (
        <Typography.Text type="danger" role="alert">
          {refusal}
        </Typography.Text>
      )}
    </Space>
  );
}

/**
 * 员工账号: every account with its roles; an admin creates one, changes its name and roles, or
 * disables it, roles chosen by name. The server is the judge of what an admin may change of their
 * own account; its refusal of a 停用 is said in the row, of an edit on the form's field.
 */
export default function StaffList() {
  const table = useRef<ActionType>(null);
  const reload = () => table.current?.reload();
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
    {
      title: '操作',
      valueType: 'option',
      width: 132,
      render: (_, row) => <RowActions account={row} onDone={reload} />,
    },
  ];
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
        <ExportButton key="export" path={STAFF_EXPORT_PATH} />,
        <CreateForm<NewStaff>
          key="create"
          title="新建账号"
          done="账号已创建"
          send={createStaff}
          onDone={reload}
        >
          <ProFormText name="username" label="用户名" rules={[{ required: true }]} />
          <ProFormText.Password name="password" label="密码" rules={[{ required: true }]} />
          <ProFormText name="display_name" label="显示名" />
          <RolesField />
        </CreateForm>,
      ]}
    />
  );
}
