import type { HandlersOf } from '../../core/contract';
import type { listsCalls } from '../../core/contract/lists';
import { decodeUpload, type ServiceContext } from '../context';
import { importList, listLists, listRows, previewList } from './lists';

export function listsHandlers(ctx: ServiceContext): HandlersOf<typeof listsCalls> {
  return {
    'lists.preview': ({ fileName, dataBase64 }) => previewList(ctx, fileName, decodeUpload(dataBase64)),
    'lists.import': ({ fileName, dataBase64, ...overrides }) => importList(ctx, fileName, decodeUpload(dataBase64), overrides),
    'lists.list': () => listLists(ctx.db),
    'lists.rows': (request) => listRows(ctx.db, request),
  };
}
