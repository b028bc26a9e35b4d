import {
  type ActionType,
  type ProColumns,
  ProFormText,
  ProFormTextArea,
  ProTable,
} from '@ant-design/pro-components';
import { App, Button, Popconfirm } from 'antd';
import { useRef } from 'react';
import {
  addToBlacklist,
  BLACKLIST_EXPORT_PATH,
  type BlacklistEntry,
  blacklist,
  type NewBlacklistEntry,
  removeFromBlacklist,
} from '../../api/admin';
import { CursorPages } from '../../components/cursor-pages';
import ExportButton from '../../components/ExportButton';
import { CreateForm } from './CreateForm';

const PAGE_SIZE = 20;

/**
 * 黑名单: people the gateway refuses (403). They are kept as hashes of the ID number (and of the
 * marketplace's md5 with the mobile), so the list shows only why and when. An entry can be
 * removed after a confirmation (the person's next call is judged as anyone's). 20 entries a page,
 * read by keyset from the server, so every entry can be reached however long the list grows.
 */
export default function Blacklist() {
  const table = useRef<ActionType>(null);
  const pages = useRef(new CursorPages()).current;
  const { message } = App.useApp();

  const remove = async (entry: BlacklistEntry) => {
    try {
      await removeFromBlacklist(entry.id);
      message.success(`已将记录 ${entry.id} 移出黑名单`);
    } catch (error) {
      // E.g. 黑名单记录不存在 (another admin removed it first): the list is read again either way.
      message.error(error instanceof Error ? error.message : String(error));
    }
    table.current?.reload();
  };

  const columns: ProColumns<BlacklistEntry>[] = [
    { title: '编号', dataIndex: 'id', width: 72 },
    { title: '原因', dataIndex: 'reason' },
    { title: '加入时间', dataIndex: 'created_at', width: 180 },
    {
      title: '操作',
      valueType: 'option',
      width: 90,
      render: (_, entry) => (
        <Popconfirm
          key="remove"
          title={`将记录 ${entry.id} 移出黑名单？`}
          description="此人下次申请将按准入规则正常审核"
          okText="移出"
          okButtonProps={{ danger: true }}
          cancelText="取消"
          onConfirm={() => remove(entry)}
        >
          <Button type="link" size="small" danger>
            移出
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <ProTable<BlacklistEntry>
      rowKey="id"
      headerTitle="黑名单"
      actionRef={table}
      columns={columns}
      search={false}
      options={{ density: false, setting: false }}
      pagination={{ pageSize: PAGE_SIZE, showSizeChanger: false }}
      request={async ({ current = 1 }) => {
        return pages.request(current, {}, PAGE_SIZE, async (page) => {
          const { entries, next_before_id } = await blacklist(page);
          return { rows: entries, next_before_id };
        });
      }}
      toolBarRender={() => [
        <ExportButton key="export" path={BLACKLIST_EXPORT_PATH} />,
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
