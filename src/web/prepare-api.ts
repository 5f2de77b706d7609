// The preparation page's calls (docs/api.md, "Preparing sessions"): the answers' types are the API
// contract's (src/contract/), the request bodies' the domain's.
import { ApiError, api, enc, errorFromAnswer } from './api.js';
import type { AnalysisFilter, AnalysisQuery } from '../domain/analysis-query.js';
import type {
  ActivityView as ActivityEntry,
  AnalysisSummary,
  ApiAnswer,
  EditAnswer,
  InputFileLook,
  OrderDetail,
  OrderRow,
  OrdersPage,
  PrepareJobView as JobView,
  StagedFile,
} from '../contract/index.js';
import type { PreparationChange } from '../domain/preparation-edits.js';

export type { AnalysisFilter, AnalysisQuery, AnalysisSummary, OrderDetail, OrderRow, OrdersPage, JobView };
export type { InputFileLook, ActivityEntry, PreparationChange };
export type UploadedFile = StagedFile;
export type FileKind = StagedFile['kind'];
export type { EditAnswer };

/** Uploads a file for a run, reporting the share sent (fetch cannot report an upload's progress). */
export function uploadPrepareFile(
  client: string,
  kind: FileKind,
  file: File,
  onProgress: (sent: number) => void,
): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/clients/${enc(client)}/prepare/files?kind=${kind}&filename=${enc(file.name)}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () =>
      reject(
        new ApiError(0, 'OFFLINE', 'The packdesk server does not answer. Check that it is running.', {}),
      );
    xhr.onload = () => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        body = { message: xhr.responseText };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as unknown as UploadedFile);
      else reject(errorFromAnswer(xhr.status, body));
    };
    xhr.send(file);
  });
}

export function analysisBase(client: string, session: string): string {
  return `/api/clients/${enc(client)}/sessions/${enc(session)}/analysis`;
}

export const prepareApi = {
  run: (
    client: string,
    body: { orders: string[]; stock: string; sets: string | null; worker: string; station: string },
  ) => api.post<JobView>(`/api/clients/${enc(client)}/prepare`, body),
  job: (job: string) => api.get<JobView>(`/api/prepare/jobs/${enc(job)}`),
  cancel: (job: string) =>
    api.post<ApiAnswer<'POST /api/prepare/jobs/:job/cancel'>>(`/api/prepare/jobs/${enc(job)}/cancel`),
  drop: (upload: string) => api.del(`/api/prepare/files/${enc(upload)}`),
  summary: (client: string, session: string) => api.get<AnalysisSummary>(analysisBase(client, session)),
  orders: (client: string, session: string, query: Partial<AnalysisQuery>) =>
    api.post<OrdersPage>(`${analysisBase(client, session)}/orders`, query),
  detail: (client: string, session: string, order: string) =>
    api.get<OrderDetail>(`${analysisBase(client, session)}/orders/${enc(order)}`),
  edit: (
    client: string,
    session: string,
    change: PreparationChange,
    who: { worker: string; station: string },
  ) => api.post<EditAnswer>(`${analysisBase(client, session)}/edits`, { change, ...who }),
  bulk: (
    client: string,
    session: string,
    body: {
      action: 'hold' | 'release' | 'tag';
      orders?: string[];
      filter?: AnalysisFilter;
      reason?: string;
      tag?: string;
    },
    who: { worker: string; station: string },
  ) => api.post<EditAnswer>(`${analysisBase(client, session)}/bulk`, { ...body, ...who }),
  activity: (client: string, session: string) =>
    api.get<{ activity: ActivityEntry[] }>(`${analysisBase(client, session)}/activity`),
};
