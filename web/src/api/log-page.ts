/**
 * A keyset page of a newest-first list the server pages by id (the callback outbox, the SMS log,
 * the ISV notifications, the blacklist): `before_id` is the previous page's `next_before_id`.
 * Without either field a list answers its default page (its newest 100, the blacklist's 500).
 */
export interface LogPage {
  before_id?: number | undefined;
  page_size?: number | undefined;
}

/** Where the next page starts; null at the list's end. */
export interface NextPage {
  next_before_id: number | null;
}
