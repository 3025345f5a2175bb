import { Button, Flex, Select, Table, Typography } from 'antd';
import { LeftOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import type { TableProps } from 'antd';
import type { ReactNode } from 'react';
import type { Page } from '../api/types';
import { isMissingRoute, type AnyError } from '../api/errors';
import { ErrorAlert } from './ErrorAlert';
import { PAGE_SIZES, type CursorPager } from './pagination';

interface Props<T> {
  pager: CursorPager;
  data: Page<T> | undefined;
  isLoading: boolean;
  isFetching: boolean;
  error: AnyError;
  onRetry: () => void;
  columns: TableProps<T>['columns'];
  rowKey: keyof T & string;
  /** Shown instead of the table when the first page is empty. */
  empty: ReactNode;
  /** Names the rows, e.g. "VPCs". */
  noun: string;
  size?: 'small' | 'middle' | 'large';
  /** Shown instead when the platform does not serve the list's route yet (404 InvalidAction). */
  unavailable?: ReactNode;
}

/** "VPCs" → "VPC", "addresses" → "address". */
export function singular(noun: string): string {
  return noun.endsWith('sses') ? noun.slice(0, -2) : noun.endsWith('s') ? noun.slice(0, -1) : noun;
}

/** A table over one page of a list route, with Previous/Next over page_token and a page size. */
export function PagedTable<T extends object>({
  pager,
  data,
  isLoading,
  isFetching,
  error,
  onRetry,
  columns,
  rowKey,
  empty,
  noun,
  size,
  unavailable,
}: Props<T>) {
  if (unavailable && isMissingRoute(error)) {
    return <>{unavailable}</>;
  }
  if (error && !data) {
    return <ErrorAlert error={error} onRetry={onRetry} />;
  }
  const items = data?.items ?? [];
  if (!isLoading && items.length === 0 && pager.pageIndex === 0) {
    return <>{empty}</>;
  }
  const nextToken = data?.next_page_token ?? null;
  return (
    <div className="paged-table">
      {error && <ErrorAlert error={error} onRetry={onRetry} style={{ marginBottom: 12 }} />}
      <Table<T>
        rowKey={rowKey}
        columns={columns}
        dataSource={items}
        loading={isFetching}
        pagination={false}
        size={size ?? 'middle'}
        scroll={{ x: 'max-content' }}
      />
      <Flex className="pager" justify="space-between" align="center" gap={12} wrap="wrap" style={{ marginTop: 12 }}>
        <Typography.Text type="secondary" aria-live="polite">
          Page {pager.pageIndex + 1} · {items.length} {items.length === 1 ? singular(noun) : noun}
          {nextToken ? ' · more on the next page' : ''}
        </Typography.Text>
        <Flex gap={8} align="center">
          <Typography.Text type="secondary">Per page</Typography.Text>
          <Select
            aria-label="Rows per page"
            size="small"
            value={pager.limit}
            onChange={pager.setLimit}
            options={PAGE_SIZES.map((n) => ({ value: n, label: n }))}
            style={{ width: 72 }}
          />
          <Button size="small" icon={<ReloadOutlined />} onClick={onRetry} aria-label="Reload" />
          <Button size="small" icon={<LeftOutlined />} disabled={!pager.hasPrevious || isFetching} onClick={pager.previous}>
            Previous
          </Button>
          <Button
            size="small"
            disabled={!nextToken || isFetching}
            onClick={() => nextToken && pager.next(nextToken)}
          >
            Next <RightOutlined />
          </Button>
        </Flex>
      </Flex>
    </div>
  );
}
