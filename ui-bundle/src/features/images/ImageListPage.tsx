import { Tag, Typography } from 'antd';
import { HddOutlined } from '@ant-design/icons';
import type { TableProps } from 'antd';
import type { Image } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState } from '../../components/EmptyState';
import { DateText, formatBytes } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import { useListImagesQuery } from './api';

const columns: TableProps<Image>['columns'] = [
  {
    title: 'Name',
    dataIndex: 'name',
    render: (name: string, image) => (
      <>
        <strong>{name}</strong>
        {image.description && (
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {image.description}
            </Typography.Text>
          </div>
        )}
      </>
    ),
  },
  { title: 'OS', key: 'os', render: (_, i) => `${i.os} ${i.version}` },
  { title: 'Architecture', dataIndex: 'architecture' },
  { title: 'Format', dataIndex: 'format', render: (f: string) => <Tag>{f}</Tag> },
  { title: 'Size', dataIndex: 'size', align: 'right', render: (s: number) => <span className="tabular">{formatBytes(s)}</span> },
  { title: 'Visibility', dataIndex: 'is_public', render: (p: boolean) => (p ? <Tag color="blue">public</Tag> : <Tag>private</Tag>) },
  { title: 'Added', dataIndex: 'created_at', render: (iso: string) => <DateText iso={iso} /> },
];

export function ImageListPage() {
  const pager = useCursorPager();
  const query = useListImagesQuery({ limit: pager.limit, page_token: pager.pageToken });
  return (
    <>
      <PageHeader title="Images" subtitle="Operating system images instances boot from: the platform's public images and your own." />
      <PagedTable<Image>
        pager={pager}
        data={query.data}
        isLoading={query.isLoading}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={query.refetch}
        columns={columns}
        rowKey="id"
        noun="images"
        empty={
          <EmptyState
            icon={<HddOutlined className="empty-icon" />}
            title="No images available"
            description="The platform's operator has not published any image yet."
          />
        }
      />
    </>
  );
}
