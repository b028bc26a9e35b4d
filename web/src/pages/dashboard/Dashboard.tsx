import { Column } from '@ant-design/charts';
import { Alert, Card, Col, DatePicker, Row, Spin, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { type ReactNode, useEffect, useState } from 'react';
import { type LoanOrderStats, loanOrderStats } from '../../api/stats';
import {
  beijingDays,
  bohuiRates,
  defaultDays,
  stageCities,
  stageHours,
  stageStates,
  summary,
  undecidedStages,
} from './loan-stats';

const CHART_HEIGHT = 250;

function ChartCard({
  title,
  empty,
  note,
  children,
}: {
  title: string;
  empty: boolean;
  /** Said under the card's title, e.g. what the chart leaves out. */
  note?: string;
  children: ReactNode;
}) {
  return (
    <Card
      title={title}
      size="small"
      extra={note && <Typography.Text type="secondary">{note}</Typography.Text>}
    >
      {empty ? (
        <Typography.Text type="secondary" style={{ display: 'block', height: CHART_HEIGHT }}>
          所选时间内暂无数据
        </Typography.Text>
      ) : (
        children
      )}
    </Card>
  );
}

/**
 * The loan dashboard: the orders created in the days picked (Beijing days, the last 90 unless
 * told), where they are now per stage and city, each stage's 驳回 rate and the time orders spent
 * at each stage. One call per range; the figures are the server's, the page only arranges them.
 */
export default function Dashboard() {
  const [days, setDays] = useState<[string, string]>(() => defaultDays());
  const [stats, setStats] = useState<LoanOrderStats>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    // An answer for a range already replaced by another is dropped.
    let current = true;
    setLoading(true);
    setError(undefined);
    loanOrderStats(beijingDays(...days))
      .then(
        (answer) => current && setStats(answer),
        // 401 and 403 are the shell's; a refused range (over 366 days) is said here.
        (refusal: Error) => current && setError(refusal.message),
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [days]);

  const cards = stats && summary(stats);
  const hours = stats ? stageHours(stats) : [];
  const rates = stats ? bohuiRates(stats) : [];
  const undecided = stats ? undecidedStages(stats) : [];

  return (
    <Spin spinning={loading}>
      <Row gutter={[16, 16]}>
        <Col span={24}>
          <Card size="small">
            <Typography.Text strong style={{ marginRight: 12 }}>
              订单创建日期
            </Typography.Text>
            <DatePicker.RangePicker
              allowClear={false}
              value={[dayjs(days[0]), dayjs(days[1])]}
              disabledDate={(day) => day.isAfter(dayjs(), 'day')}
              onChange={(range) => {
                if (range?.[0] && range[1])
                  setDays([range[0].format('YYYY-MM-DD'), range[1].format('YYYY-MM-DD')]);
              }}
            />
            <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
              统计在此期间创建的订单（北京时间，最长366天）
            </Typography.Text>
          </Card>
        </Col>
        {error && (
          <Col span={24}>
            <Alert type="error" showIcon message={error} />
          </Col>
        )}
        {cards && (
          <>
            {(
              [
                ['订单总数', cards.total],
                ['未结', cards.open],
                ['已终止', cards.stopped],
                ['已审批完成', cards.approved],
              ] as const
            ).map(([title, value]) => (
              <Col span={5} key={title}>
                <Card size="small">
                  <Statistic title={title} value={value} suffix="单" />
                </Card>
              </Col>
            ))}
            <Col span={4}>
              <Card size="small">
                <Statistic
                  title="驳回率（全部环节）"
                  value={cards.bohuiRate === null ? '—' : (cards.bohuiRate * 100).toFixed(1)}
                  suffix={cards.bohuiRate === null ? undefined : '%'}
                />
              </Card>
            </Col>
          </>
        )}
        {stats && (
          <>
            <Col span={12}>
              <ChartCard title="各环节订单（现在所在环节）" empty={stats.total === 0}>
                <Column
                  data={stageStates(stats)}
                  xField="stage"
                  yField="orders"
                  colorField="state"
                  stack
                  height={CHART_HEIGHT}
                  axis={{ y: { title: '订单数' } }}
                />
              </ChartCard>
            </Col>
            <Col span={12}>
              <ChartCard title="各环节各城市订单" empty={stats.stage_cities.length === 0}>
                <Column
                  data={stageCities(stats)}
                  xField="stage"
                  yField="orders"
                  colorField="city"
                  group
                  height={CHART_HEIGHT}
                  axis={{ y: { title: '订单数' } }}
                />
              </ChartCard>
            </Col>
            <Col span={12}>
              <ChartCard
                title="各环节驳回率"
                empty={rates.length === 0}
                note={undecided.length > 0 ? `无决定：${undecided.join('、')}` : undefined}
              >
                <Column
                  data={rates}
                  xField="stage"
                  yField="percent"
                  height={CHART_HEIGHT}
                  label={{ text: 'text', position: 'top' }}
                  axis={{ y: { title: '驳回率（%）' } }}
                  tooltip={{
                    items: [{ channel: 'y', name: '驳回率', valueFormatter: (v: number) => `${v}%` }],
                  }}
                />
              </ChartCard>
            </Col>
            <Col span={12}>
              <ChartCard title="各环节停留时长（小时）" empty={hours.length === 0}>
                <Column
                  data={hours}
                  xField="stage"
                  yField="hours"
                  colorField="measure"
                  group
                  height={CHART_HEIGHT}
                  axis={{ y: { title: '小时' } }}
                />
              </ChartCard>
            </Col>
            <Col span={24}>
              <Card title="各城市订单" size="small">
                <Row gutter={16}>
                  {stats.cities.map((city) => (
                    <Col span={12} key={city.city}>
                      <Statistic
                        title={city.city}
                        value={city.total}
                        suffix={`单（未结 ${city.open}，终止 ${city.stopped}，审批完成 ${city.approved}）`}
                      />
                    </Col>
                  ))}
                </Row>
              </Card>
            </Col>
          </>
        )}
      </Row>
    </Spin>
  );
}
