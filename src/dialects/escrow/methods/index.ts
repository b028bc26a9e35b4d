import { getMethod } from './tmall.alihouse.trade.order.second.house.get.method.js';
import { operateMethod } from './tmall.alihouse.trade.order.second.house.operate.method.js';
import type { TopMethod } from './top-method.js';

/** The methods the gateway answers, by TOP name. */
export const TOP_METHODS: ReadonlyMap<string, TopMethod> = new Map(
  [operateMethod, getMethod].map((method) => [method.name, method]),
);
