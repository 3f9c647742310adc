'use client';

import { Alert, Button } from '@chakra-ui/react';

interface ErrorAlertProps {
  title: string;
  message: string;
  onRetry?: () => void;
  retrying?: boolean;
}

export function ErrorAlert({ title, message, onRetry, retrying = false }: ErrorAlertProps) {
  return (
    <Alert.Root status="error" role="alert" alignItems="center">
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Title>{title}</Alert.Title>
        <Alert.Description>{message}</Alert.Description>
      </Alert.Content>
      {onRetry && (
        <Button size="sm" variant="outline" onClick={onRetry} loading={retrying} flexShrink={0}>
          Retry
        </Button>
      )}
    </Alert.Root>
  );
}
