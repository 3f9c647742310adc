import { Container, Flex, Heading } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { ColorModeToggle } from './color-mode';

export function AppShell({ children }: { children: ReactNode }) {
  return (
    <Flex direction="column" minH="100dvh" bg="bg.subtle">
      <Flex as="header" align="center" justify="space-between" px="6" py="3" borderBottomWidth="1px" bg="bg">
        <Heading as="p" size="md" letterSpacing="tight">
          Vigil
        </Heading>
        <ColorModeToggle />
      </Flex>
      <Container as="main" maxW="lg" py="12" flex="1">
        {children}
      </Container>
    </Flex>
  );
}
