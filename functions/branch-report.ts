import { branchReportRoute } from '#core/contract/routes/reports/branch-report';
import { reportCsv } from '#core/domain/report';
import { branchReport } from '#core/usecases/reports/branch-report';
import { endpoint } from './commons/auth';
import { reportContext } from './commons/context';

export const handler = endpoint(branchReportRoute, async (req) => {
  const { format, ...query } = req.query;
  const report = await branchReport(reportContext(req), { ...req.params, ...query });
  if (format === 'json') return { status: 200, body: report };
  const file = `report-${report.branchId}-${report.from}-${report.to}-${report.groupBy}.csv`;
  return {
    status: 200,
    text: reportCsv(report),
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${file}"`,
    },
  };
});
