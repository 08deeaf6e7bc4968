export interface FileUpload {
  fileName: string;
  dataBase64: string;
}

export const TABLE_FILE_ACCEPT = '.xlsx,.xls,.csv';

/** Reads a picked file the way the backend takes it; a data URL is the browser's own fast base64 encoder. */
export function readUpload(file: File): Promise<FileUpload> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      // readAsDataURL gives a string.
      const dataUrl = reader.result as string;
      resolve({ fileName: file.name, dataBase64: dataUrl.slice(dataUrl.indexOf(',') + 1) });
    };
    reader.onerror = () => reject(new Error(`无法读取文件“${file.name}”`));
    reader.readAsDataURL(file);
  });
}
