import {
  AuditOutlined,
  CheckCircleOutlined,
  CustomerServiceOutlined,
  FileAddOutlined,
  SafetyCertificateOutlined,
  SolutionOutlined,
  ZoomInOutlined,
} from '@ant-design/icons';
import { lazy, type ReactNode } from 'react';
import { STAGE_LABELS, STAGES, type Stage } from '../../../../src/modules/loan-orders/loan-order-state';
import type { Page } from '../../page';

const ICONS: Record<Stage, ReactNode> = {
  kefu: <CustomerServiceOutlined />,
  mianshen: <SolutionOutlined />,
  mianqian: <AuditOutlined />,
  quanzheng: <SafetyCertificateOutlined />,
  shencha: <ZoomInOutlined />,
  zhongshen: <CheckCircleOutlined />,
};

// The registry's components take no props: each stage gets its own, bound to its stage.
const deskOf = (stage: Stage) =>
  lazy(async () => {
    const { default: DeskList } = await import('./DeskList');
    return { default: () => <DeskList stage={stage} /> };
  });
const orderPageOf = (stage: Stage) =>
  lazy(async () => {
    const { default: OrderDetail } = await import('./OrderDetail');
    return { default: () => <OrderDetail stage={stage} /> };
  });

const NEW_ORDER: Page = {
  path: '/kefu/orders/new',
  menu: { name: '新建订单', icon: <FileAddOutlined />, group: 'loans' },
  roles: ['kefu'],
  component: lazy(() => import('./NewOrder')),
};

/**
 * The loan stages' desks in workflow order, each with its order page (`/<stage>/orders/:id`,
 * reached from the desk, for that stage's role), and after 客服's desk the form that opens an
 * order (after it, so 客服's first page is the desk).
 */
export const LOAN_PAGES: readonly Page[] = STAGES.flatMap((stage): Page[] => [
  {
    path: `/${stage}/orders`,
    menu: { name: `${STAGE_LABELS[stage]}工作台`, icon: ICONS[stage], group: 'loans' },
    roles: [stage],
    component: deskOf(stage),
  },
  ...(stage === 'kefu' ? [NEW_ORDER] : []),
  { path: `/${stage}/orders/:sonOrderId`, roles: [stage], component: orderPageOf(stage) },
]);
